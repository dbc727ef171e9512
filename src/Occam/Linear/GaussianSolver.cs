using System.Buffers;
using System.Runtime.CompilerServices;
using System.Diagnostics;
using System.Numerics.Tensors;
using Occam.Numerics.LinearAlgebra;
using Occam.Numerics.Prox;

namespace Occam.Linear;

/// <summary>
/// Gradient bookkeeping for coordinate descent on the centred/scaled least-squares problem:
/// c = X̃ᵀr/n with r = ỹ − X̃w. Two implementations: <see cref="GramEngine"/> and <see cref="ResidualEngine"/>.
/// </summary>
internal abstract class GaussianEngine
{
    protected GaussianEngine(int n, int p, double[] norm, double yy)
    {
        N = n; P = p; Norm = norm; YY = yy;
    }

    public int N { get; }
    public int P { get; }
    /// <summary>‖x̃ⱼ‖²/n.</summary>
    public double[] Norm { get; }
    /// <summary>‖ỹ‖² (ỹ centred when an intercept is fitted).</summary>
    public double YY { get; }

    /// <summary>cⱼ = x̃ⱼᵀr/n at the current coefficients.</summary>
    public abstract double Gradient(int j);
    /// <summary>cⱼ for j = <paramref name="list"/>[k] into <paramref name="c"/>[k].</summary>
    public abstract void Gradients(ReadOnlySpan<int> list, Span<double> c);
    /// <summary>Records wⱼ ← wⱼ + δ.</summary>
    public abstract void Apply(int j, double delta);
    /// <summary>Writes cⱼ for every non-excluded j.</summary>
    public abstract void FullGradient(Span<double> c, bool[] excluded);
    /// <summary>Whether <see cref="FullGradient"/> is a copy (Gram engine) rather than n·p work (residual engine).</summary>
    public abstract bool FullGradientIsCheap { get; }
    /// <summary>‖r‖².</summary>
    public abstract double Rss(ReadOnlySpan<double> w);
    /// <summary>rᵀỹ.</summary>
    public abstract double ResidualDotY(ReadOnlySpan<double> w);
    /// <summary>Rebuilds the state for coefficients w (warm start).</summary>
    public abstract void Reset(ReadOnlySpan<double> w);
    /// <summary>Writes Hₖₗ = x̃ⱼₖᵀx̃ⱼₗ/n for j = <paramref name="list"/> (row-major m × m).</summary>
    public abstract void ActiveGram(ReadOnlySpan<int> list, double[] h);
    /// <summary>Writes hₖ = x̃ⱼₖᵀx̃ⱼ/n for j_k = <paramref name="list"/>[k].</summary>
    public abstract void GramColumn(ReadOnlySpan<int> list, int j, Span<double> h);
    /// <summary>Cost of <see cref="ActiveGram"/> plus a Cholesky of size m, in units of one coordinate sweep over m features.</summary>
    public abstract double NewtonCostInSweeps(int m);
    /// <summary>Returns pooled working memory (see <see cref="GaussianProblem.Dispose"/>); the engine is unusable afterwards.</summary>
    public virtual void Release() { }
    /// <summary>Cost of one <see cref="GramColumn"/> of length m in units of one coordinate sweep over m features.</summary>
    public abstract double GramColumnCostInSweeps(int m);
    /// <summary>Multiply-adds of one coordinate sweep over m features (each changed).</summary>
    public abstract double SweepCost(int m);
}

/// <summary>Covariance updates: keeps q = X̃ᵀỹ/n − (X̃ᵀX̃/n)·w; a change δ of wⱼ costs one axpy of length p.</summary>
internal sealed class GramEngine : GaussianEngine
{
    private double[] _g;              // X̃ᵀX̃/n, row-major p × p (the first p² values)
    private readonly double[] _xty;   // X̃ᵀỹ/n
    private readonly double[] _q;
    private readonly bool _pooled;

    /// <summary>With <c>pooled</c>, the matrix was rented from <see cref="ArrayPool{T}.Shared"/> and <see cref="Release"/> returns it.</summary>
    public GramEngine(int n, int p, double[] gramOverN, double[] xtyOverN, double yy, bool pooled = false)
        : base(n, p, Diagonal(gramOverN, p), yy)
    {
        _g = gramOverN;
        _xty = xtyOverN;
        _q = (double[])xtyOverN.Clone();
        _pooled = pooled;
    }

    public override void Release()
    {
        if (!_pooled || _g.Length == 0) return;
        ArrayPool<double>.Shared.Return(_g);
        _g = [];
    }

    private static double[] Diagonal(double[] g, int p)
    {
        var d = new double[p];
        for (int j = 0; j < p; j++) d[j] = g[j * p + j];
        return d;
    }

    public ReadOnlySpan<double> GramRow(int j) => _g.AsSpan(j * P, P);
    public ReadOnlySpan<double> Xty => _xty;

    public override double Gradient(int j) => _q[j];

    public override void Apply(int j, double delta) => Axpy.Compute(-delta, _g.AsSpan(j * P, P), _q);

    public override void Gradients(ReadOnlySpan<int> list, Span<double> c)
    {
        for (int k = 0; k < list.Length; k++) c[k] = _q[list[k]];
    }

    public override void FullGradient(Span<double> c, bool[] excluded) => _q.CopyTo(c);

    public override bool FullGradientIsCheap => true;

    // ‖r‖² = ‖ỹ‖² − 2wᵀX̃ᵀỹ + wᵀGw and X̃ᵀr = X̃ᵀỹ − Gw = n·q, so ‖r‖² = ‖ỹ‖² − n·(wᵀxty + wᵀq).
    public override double Rss(ReadOnlySpan<double> w) =>
        Math.Max(0, YY - N * (Dot.Compute(w, _xty) + Dot.Compute(w, _q)));

    public override double ResidualDotY(ReadOnlySpan<double> w) => YY - N * Dot.Compute(w, _xty);

    public override void Reset(ReadOnlySpan<double> w)
    {
        _xty.CopyTo(_q, 0);
        for (int j = 0; j < P; j++)
            if (w[j] != 0) Apply(j, w[j]);
    }

    public override void ActiveGram(ReadOnlySpan<int> list, double[] h)
    {
        int m = list.Length;
        for (int a = 0; a < m; a++)
        {
            var row = GramRow(list[a]);
            for (int b = 0; b < m; b++) h[a * m + b] = row[list[b]];
        }
    }

    public override void GramColumn(ReadOnlySpan<int> list, int j, Span<double> h)
    {
        var row = GramRow(j);
        for (int k = 0; k < list.Length; k++) h[k] = row[list[k]];
    }

    // A sweep that changes m coefficients costs m axpys of length p; the factorization m³/6 multiply-adds.
    public override double NewtonCostInSweeps(int m) => (double)m * m / (6.0 * P) + 1;

    public override double GramColumnCostInSweeps(int m) => 1.0 / P;

    public override double SweepCost(int m) => (double)m * P;
}

/// <summary>
/// Naive (residual) updates: keeps r = ỹ − X̃w; X̃ stored column-major, plus a float copy for the bounded full passes
/// (<see cref="BoundedGradients"/>) when every value fits a float.
/// </summary>
internal sealed class ResidualEngine : GaussianEngine
{
    private double[] _x;           // column-major n × p (possibly longer: a pooled array)
    private float[]? _xf;          // the same in float, null when a value overflows a float
    private readonly bool _pooled; // _x was rented from ArrayPool<double>.Shared, _xf is rented from ArrayPool<float>.Shared
    private readonly float[] _uf;
    private readonly float[] _cf;
    private readonly double[] _y;
    private readonly double[] _r;
    private readonly double _invN;

    /// <summary>
    /// X̃ column-major (<paramref name="xColumnMajor"/>, at least n·p values) and ỹ. <paramref name="pooled"/>: the array was
    /// rented from <see cref="ArrayPool{T}.Shared"/>; the float copy is rented too and <see cref="Release"/> returns both.
    /// </summary>
    public ResidualEngine(int n, int p, double[] xColumnMajor, double[] yCentered, bool pooled = false)
        : this(n, p, xColumnMajor, yCentered, pooled, 0)
    {
        PrepareColumns(0, p);
        FinishPreparation();
    }

    /// <summary>Allocates; the caller runs <see cref="PrepareColumns"/> over every column, then <see cref="FinishPreparation"/>.</summary>
    private ResidualEngine(int n, int p, double[] xColumnMajor, double[] yCentered, bool pooled, int _)
        : base(n, p, new double[p], TensorPrimitives.Dot(yCentered, yCentered))
    {
        _x = xColumnMajor;
        _pooled = pooled;
        _y = yCentered;
        _r = (double[])yCentered.Clone();
        _invN = 1.0 / n;
        ColumnNormOverN = new double[p];
        _uf = new float[n];
        _cf = new float[p];
        int cells = checked(n * p);
        _xf = pooled ? ArrayPool<float>.Shared.Rent(cells) : GC.AllocateUninitializedArray<float>(cells);
    }

    /// <summary>
    /// The residual engine of the selected rows of row-major X, centred (and scaled) as <see cref="ColumnStats"/> says:
    /// statistics, the column-major copy (pooled), the norms and the float copy in one pass over X by blocks of columns
    /// (<see cref="ColumnStats.ComputeColumnMajor"/>), each block's norms and float copy computed while it is in cache.
    /// </summary>
    public static ResidualEngine FromRows(double[] x, int p, int[] rows, double[] yCentered, bool center, bool standardize, out ColumnStats stats)
    {
        int n = rows.Length;
        var xc = ArrayPool<double>.Shared.Rent(checked(n * p));
        var engine = new ResidualEngine(n, p, xc, yCentered, pooled: true, 0);
        // Memory-bound: on two threads (two column ranges) when X is large.
        int threads = (long)n * p >= ParallelCells ? Math.Min(Environment.ProcessorCount, 2) : 1;
        try
        {
            stats = ColumnStats.ComputeColumnMajor(x, p, rows, center, standardize, xc, engine.PrepareColumns, threads);
        }
        catch
        {
            engine.Release();
            throw;
        }
        engine.FinishPreparation();
        return engine;
    }

    private long _largestBits; // the largest magnitude seen by PrepareColumns (a non-negative double's bits order as the value)

    /// <summary>
    /// For columns [from, to) of X̃ (final): ‖x̃ⱼ‖²/n, ‖x̃ⱼ‖/n, the float copy and the largest magnitude so far — one pass over
    /// each column while it is in cache.
    /// </summary>
    private void PrepareColumns(int from, int to)
    {
        int n = N;
        double largest = 0;
        for (int j = from; j < to; j++)
        {
            var col = _x.AsSpan(j * n, n);
            Norm[j] = TensorPrimitives.Dot<double>(col, col) / n;
            ColumnNormOverN[j] = Math.Sqrt(Norm[j] * _invN);
            if (n > 0) largest = Math.Max(largest, Math.Abs(TensorPrimitives.MaxMagnitude<double>(col)));
            TensorPrimitives.ConvertTruncating<double, float>(col, _xf!.AsSpan(j * n, n));
        }
        // Ranges may run on two threads: the running maximum is kept by compare-and-swap.
        long bits = BitConverter.DoubleToInt64Bits(largest), seen;
        while (bits > (seen = Interlocked.Read(ref _largestBits)) && Interlocked.CompareExchange(ref _largestBits, bits, seen) != seen) { }
    }

    /// <summary>Keeps the float copy only when every value fits a float (with room for the float dot products).</summary>
    private void FinishPreparation()
    {
        if ((long)N * P > 0 && BitConverter.Int64BitsToDouble(_largestBits) < float.MaxValue / 2) return;
        if (_pooled && _xf is not null) ArrayPool<float>.Shared.Return(_xf);
        _xf = null;
    }

    public override void Release()
    {
        if (!_pooled) return;
        if (_xf is not null) ArrayPool<float>.Shared.Return(_xf);
        if (_x.Length > 0) ArrayPool<double>.Shared.Return(_x);
        _xf = null;
        _x = [];
    }

    /// <summary>‖x̃ⱼ‖/n: by Cauchy–Schwarz |x̃ⱼᵀu/n − x̃ⱼᵀu'/n| ≤ ‖x̃ⱼ‖/n · ‖u − u'‖.</summary>
    public double[] ColumnNormOverN { get; }

    /// <summary>The current residual r = ỹ − X̃w.</summary>
    public ReadOnlySpan<double> Residual => _r;

    /// <summary>The centred target ỹ.</summary>
    public ReadOnlySpan<double> Target => _y;

    private Span<double> Column(int j) => _x.AsSpan(j * N, N);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override double Gradient(int j) => Dot.Compute(Column(j), _r) * _invN;

    public override void Gradients(ReadOnlySpan<int> list, Span<double> c) => GradientsAt(list, _r, c);

    /// <summary>x̃ⱼᵀu/n for j = <paramref name="list"/>[k] into <paramref name="c"/>[k] (four columns per load of u).</summary>
    public void GradientsAt(ReadOnlySpan<int> list, ReadOnlySpan<double> u, Span<double> c)
    {
        IndexedColumnDots.Compute(_x, N, list, u, c);
        TensorPrimitives.Multiply(c[..list.Length], _invN, c[..list.Length]);
    }

    /// <summary>x̃ⱼᵀu/n for any vector u of length n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double GradientAt(int j, ReadOnlySpan<double> u) => Dot.Compute(Column(j), u) * _invN;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Apply(int j, double delta) => Axpy.Compute(-delta, Column(j), _r);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void FullGradient(Span<double> c, bool[] excluded)
    {
        for (int j = 0; j < P; j++) c[j] = excluded[j] ? 0 : Gradient(j);
    }

    /// <summary>
    /// ĉⱼ ≈ x̃ⱼᵀr/n for every j with <paramref name="skip"/>ⱼ false, from the float copy (half the memory traffic of
    /// <see cref="FullGradient"/>), with the guarantee |x̃ⱼᵀr/n − ĉⱼ| ≤ <paramref name="relative"/>·‖x̃ⱼ‖/n +
    /// <paramref name="absolute"/>. With û = r/s (s = maxᵢ|rᵢ|) and ε = 2⁻²⁴: rounding x̃ and û to float and a float dot
    /// product of length n each stay within (n + 2)·ε·‖x̃ⱼ‖·‖û‖ of the exact x̃ⱼᵀû (Higham, Accuracy and Stability, §3.1),
    /// doubled here for margin, plus n·2⁻¹⁴⁹ per product that may underflow. Without a float copy the gradients are exact.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void BoundedGradients(Span<double> c, bool[] skip, out double relative, out double absolute, int maxThreads = 1)
    {
        relative = absolute = 0;
        if (_xf is null)
        {
            for (int j = 0; j < P; j++) if (!skip[j]) c[j] = Gradient(j);
            return;
        }
        double s = Math.Abs(TensorPrimitives.MaxMagnitude<double>(_r)); // MaxMagnitude keeps the sign
        if (s == 0)
        {
            for (int j = 0; j < P; j++) if (!skip[j]) c[j] = 0;
            return;
        }
        double inv = 1 / s;
        double uu = 0;
        for (int i = 0; i < N; i++)
        {
            double u = _r[i] * inv;
            uu += u * u;
            _uf[i] = (float)u;
        }
        double scale = s * _invN;
        // Columns are independent (same values on any number of threads): two halves in parallel when X is large.
        int threads = (long)N * P >= ParallelCells ? Math.Min(Environment.ProcessorCount, maxThreads) : 1;
        if (threads > 1)
            Parallel.For(0, threads, t => FloatDots(t * P / threads, (t + 1) * P / threads));
        else FloatDots(0, P);
        for (int j = 0; j < P; j++)
            if (!skip[j]) c[j] = _cf[j] * scale;
        relative = 2 * (N + 2) * Math.ScaleB(1.0, -24) * Math.Sqrt(uu) * s;
        absolute = N * Math.ScaleB(1.0, -149) * scale * 2;
    }

    /// <summary>Size of X̃ (n·p) from which a bounded full pass runs on <c>maxThreads</c> threads (default one) and the set-up (<see cref="FromRows"/>) on two.</summary>
    private const long ParallelCells = 1 << 20;

    private void FloatDots(int from, int to) =>
        ColumnDots.Compute(_xf!.AsSpan(from * N, (to - from) * N), N, _uf, _cf.AsSpan(from, to - from));

    public override bool FullGradientIsCheap => false;

    public override double Rss(ReadOnlySpan<double> w) => Dot.Compute(_r, _r);

    public override double ResidualDotY(ReadOnlySpan<double> w) => Dot.Compute(_r, _y);

    public override void Reset(ReadOnlySpan<double> w)
    {
        _y.CopyTo(_r, 0);
        for (int j = 0; j < P; j++)
            if (w[j] != 0) Apply(j, w[j]);
    }

    public override void ActiveGram(ReadOnlySpan<int> list, double[] h)
    {
        int m = list.Length;
        Gram.ComputeColumns(_x, N, list, null, false, h);
        TensorPrimitives.Multiply(h.AsSpan(0, m * m), _invN, h.AsSpan(0, m * m));
    }

    public override void GramColumn(ReadOnlySpan<int> list, int j, Span<double> h) => GradientsAt(list, Column(j), h);

    // A sweep over m features streams 2nm multiply-adds (dot + axpy); the Gram kernel's n·m²/2 run about 4× faster per
    // multiply-add (register tiles, cache-resident chunks), plus the factorization m³/6.
    public override double NewtonCostInSweeps(int m) => m / 16.0 + (double)m * m / (12.0 * N) + 1;

    // m dot products of length n against a sweep's 2nm.
    public override double GramColumnCostInSweeps(int m) => 0.5;

    public override double SweepCost(int m) => 2.0 * N * m;
}

/// <summary>
/// The centred (and optionally scaled) least-squares problem built from the selected rows. Disposing it returns the
/// residual engine's copies of X̃ (double and float, 12·n·p bytes), or the Gram engine's p × p matrix, to
/// <see cref="ArrayPool{T}.Shared"/>, so that the next
/// problem of a similar size (cross-validation folds, repeated fits) reuses their pages instead of faulting in fresh memory;
/// a problem that is not disposed is simply collected.
/// </summary>
internal sealed class GaussianProblem : IDisposable
{
    public required GaussianEngine Engine { get; init; }
    public required ColumnStats Stats { get; init; }
    public required double YMean { get; init; }
    public required int Rows { get; init; }

    public static GaussianProblem Create(double[] x, int p, double[] y, int[] rows, LinearOptions o)
    {
        int n = rows.Length;
        double ymean = 0;
        if (o.FitIntercept)
        {
            foreach (int r in rows) ymean += y[r];
            ymean /= n;
        }
        var yc = new double[n];
        for (int i = 0; i < n; i++) yc[i] = y[rows[i]] - ymean;
        bool gram = o.Update switch
        {
            CdUpdate.Gram => true,
            CdUpdate.Residual => false,
            _ => n > p && p <= 4096,
        };
        GaussianEngine engine;
        ColumnStats stats;
        if (gram)
        {
            stats = ColumnStats.Compute(x, p, rows, o.FitIntercept, o.Standardize);
            var inv = new double[p];
            for (int j = 0; j < p; j++) inv[j] = stats.Excluded[j] ? 0 : 1 / stats.Scale[j];
            // Pooled like the residual engine's copies (returned when the problem is disposed): a fresh p × p array is a
            // large-object allocation whose pages are faulted in again on every fit (320 KB at p = 200).
            var g = ArrayPool<double>.Shared.Rent(p * p);
            var xty = new double[p];
            Gram.ComputeCentered(x, rows, p, stats.Mean, inv, yc, g, xty);
            Scale(g.AsSpan(0, p * p), 1.0 / n);
            Scale(xty, 1.0 / n);
            engine = new GramEngine(n, p, g, xty, TensorPrimitives.Dot(yc, yc), pooled: true);
        }
        else
        {
            engine = ResidualEngine.FromRows(x, p, rows, yc, o.FitIntercept, o.Standardize, out stats);
        }
        return new GaussianProblem { Engine = engine, Stats = stats, YMean = ymean, Rows = n };
    }

    public void Dispose() => Engine.Release();

    /// <summary>
    /// x ← s·x, element by element: the values <c>TensorPrimitives.Multiply(x, s, x)</c> gives (one rounded product
    /// each), in a plain loop that the CLI runs as ReadyToRun code; the library's Vector512 loop is a generic
    /// instantiation compiled at tier 0 at its first call (≈ 5–10 ms in a 442 × 10 fit, docs/algorithms/startup.md,
    /// "Start-up of linear fit (session 17)") for a pass of p² + p values next to the Gram's n·p²/2 multiply-adds.
    /// </summary>
    internal static void Scale(Span<double> x, double s)
    {
        for (int i = 0; i < x.Length; i++) x[i] *= s;
    }
}

/// <summary>Outcome of one α.</summary>
internal readonly record struct SolveReport(int Iterations, double Gap, double GapTolerance, bool Converged, double DevianceExplained);

/// <summary>
/// Cyclic coordinate descent for (1/(2n))‖ỹ − X̃w‖² + α·Σ vⱼ(ρ|wⱼ| + (1−ρ)/2·wⱼ²), warm-started from the current
/// coefficients, with sequential strong rules + KKT check, active-set iterations and a duality-gap stop.
/// </summary>
internal sealed class GaussianSolver
{

    private readonly GaussianEngine _e;
    private readonly bool[] _excluded;
    private readonly double[] _v;
    private readonly LinearOptions _o;
    private readonly double[] _w;
    private readonly double[] _c;
    private readonly bool[] _strong;
    private readonly int[] _list;
    private readonly int[] _strongList;
    private readonly int[] _changed;   // features whose strong status just changed, in column order
    private int _strongCount;
    private readonly int _p;
    private readonly GaussianDualCertificate? _cert;
    private double[] _h = [];          // Cholesky factor of G_FF + l2·V_F, F = _fList[.._fm), row-major with stride _fm
    private readonly int[] _fList;
    private readonly int[] _fPos;      // position of feature j in _fList, −1 when absent
    private int _fm;
    private double _fL2;
    private bool _fValid;
    private int _fUpdates;             // row/column updates since the factor was last computed afresh
    private double[] _step = [];
    private double[] _grad = [];
    private double[] _rhs = [];
    private int[] _startList = [];
    private double[] _startW = [];
    private double[] _scratch = [];
    private bool _supportChanged;

    /// <summary>Largest support on which <see cref="SupportNewton"/> is tried (its matrix has m² entries).</summary>
    private const int MaxNewtonSupport = 2048;

    /// <summary>How many blocked support Newton steps are followed at once by a solve on the smaller support.</summary>
    private const int MaxNewtonDrops = 16;

    public GaussianSolver(GaussianProblem problem, LinearOptions options)
    {
        _e = problem.Engine;
        _p = _e.P;
        _excluded = problem.Stats.Excluded;
        _o = options;
        _v = options.PenaltyFactors ?? Ones(_p);
        _w = new double[_p];
        _c = new double[_p];
        _strong = new bool[_p];
        _list = new int[_p];
        _strongList = new int[_p];
        _changed = new int[_p];
        _fList = new int[_p];
        _fPos = new int[_p];
        for (int j = 0; j < _p; j++) _fPos[j] = -1;   // a loop: Array.Fill<int> is a tier-0 instantiation at its first call
        if (_e is ResidualEngine re) _cert = new GaussianDualCertificate(re, _v, _excluded);
        ExactFullGradient();
        _gradientAtZero = true;
    }

    /// <summary>p penalty factors of 1 (a loop: <c>Enumerable.Repeat&lt;double&gt;</c> is a tier-0 instantiation at its first call).</summary>
    private static double[] Ones(int p)
    {
        var v = new double[p];
        for (int j = 0; j < p; j++) v[j] = 1.0;
        return v;
    }

    /// <summary>Whether <see cref="_c"/> is still the exact gradient at w = 0 computed by the constructor.</summary>
    private bool _gradientAtZero;

    /// <summary>cⱼ for every feature, exactly; the certificate's reference when there is one.</summary>
    private void ExactFullGradient()
    {
        if (_cert is null) _e.FullGradient(_c, _excluded);
        else _cert.FullPass(_c, _excluded, _excluded, exact: true);
    }

    /// <summary>Standardized coefficients (live).</summary>
    public double[] W => _w;

    /// <summary>
    /// Fits the unpenalized features alone (if any), then returns α_max = maxⱼ |cⱼ|/(ρ'·vⱼ) over penalized j,
    /// with ρ' = max(ρ, 1e-3) (glmnet's device so that ridge paths have a finite start).
    /// </summary>
    public double AlphaMax()
    {
        int m = 0;
        for (int j = 0; j < _p; j++)
            if (!_excluded[j] && _v[j] == 0) _list[m++] = j;
        // The constructor's gradient is the one at w = 0: without unpenalized features nothing needs recomputing.
        if (m > 0 || !_gradientAtZero)
        {
            Array.Clear(_w);
            _e.Reset(_w);
            if (m > 0)
            {
                double tol = 1e-15 * Math.Max(_e.YY / _e.N, double.Epsilon);
                for (int it = 0; it < 100_000; it++)
                    if (Sweep(_list.AsSpan(0, m), 0, 0) <= tol) break;
            }
            ExactFullGradient();
            _gradientAtZero = m == 0;
        }
        double rho = Math.Max(_o.L1Ratio, 1e-3);
        double amax = 0;
        for (int j = 0; j < _p; j++)
            if (!_excluded[j] && _v[j] > 0) amax = Math.Max(amax, Math.Abs(_c[j]) / (rho * _v[j]));
        // Rounded up by a few ulps so that the fit at α_max itself is exactly zero despite rounding in α·ρ·vⱼ.
        return amax * (1 + 1e-15);
    }

    /// <summary>Sets the coefficients (warm start) and rebuilds the gradient.</summary>
    public void SetCoefficients(ReadOnlySpan<double> w)
    {
        _gradientAtZero = false;
        w.CopyTo(_w);
        _e.Reset(_w);
        ExactFullGradient();
    }

    private double Sweep(ReadOnlySpan<int> list, double l1, double l2)
    {
        double d = 0;
        _supportChanged = false;
        var norm = _e.Norm;
        foreach (int j in list)
        {
            double old = _w[j];
            double nj = norm[j];
            double z = _e.Gradient(j) + nj * old;
            double t = l1 * _v[j];
            double shrunk = SoftThreshold.Scalar(z, t);
            double nw = shrunk == 0 ? 0.0 : shrunk / (nj + l2 * _v[j]);
            if (nw != old)
            {
                if (old == 0 || nw == 0) _supportChanged = true;
                double delta = nw - old;
                _e.Apply(j, delta);
                _w[j] = nw;
                double change = nj * delta * delta;
                if (change > d) d = change;
            }
        }
        return d;
    }

    /// <summary>
    /// Solves at <paramref name="alpha"/> from the current coefficients. <paramref name="alphaPrev"/> is the α whose
    /// solution the gradient held in the solver belongs to (α_max for a cold start); it feeds the strong rule
    /// |cⱼ| ≥ ρ·vⱼ·(2α − α_prev). <paramref name="maxIterations"/> caps the sweeps of this α (default: the options').
    /// </summary>
    public SolveReport Solve(double alpha, double alphaPrev, int? maxIterations = null)
    {
        double rho = _o.L1Ratio;
        double l1 = alpha * rho, l2 = alpha * (1 - rho);
        bool screen = _o.Screening == Screening.StrongRules && rho > 0;
        double threshold = rho * (2 * alpha - alphaPrev);
        _gradientAtZero = false;
        // The strong set, its list in column order and the features whose status changed, in one pass over p.
        int strongCount = 0, changed = 0;
        for (int j = 0; j < _p; j++)
        {
            bool strong = !_excluded[j] && (!screen || _v[j] == 0 || _w[j] != 0 || Math.Abs(_c[j]) >= threshold * _v[j]);
            if (strong != _strong[j])
            {
                _strong[j] = strong;
                _changed[changed++] = j;
            }
            if (strong) _strongList[strongCount++] = j;
        }
        _strongCount = strongCount;
        _cert?.StrongChanged(_strong, _changed.AsSpan(0, changed));
        _cert?.Begin();

        double n = _e.N;
        double gapTol = _o.Tolerance * _e.YY / n;
        double innerTol = gapTol;
        int maxIter = maxIterations ?? _o.MaxIterations;
        int iter = 0;
        double gap = double.PositiveInfinity;
        bool converged = false;
        bool newtonOk = _o.SupportNewton;
        int sinceNewton = 0;
        // Path-following step: with a factor kept from the previous α (same l2: the whole lasso path), an exact step on the
        // previous support, before any sweep, moves w along the homotopy direction G_AA⁻¹·V_A·s_A·(l1_prev − l1) and stops
        // at the first coefficient that reaches zero. A coordinate sweep first would activate every feature with
        // |cⱼ| ∈ (l1, l1_prev] at once (before the others adjust), most of which the exact step then drops again, one
        // blocked solve each, and which come back at the next α: the loop of drops and re-appends this step avoids. Its
        // solves count as sweeps and leave at least one sweep of the budget for the loop below.
        if (newtonOk && _fValid && _fL2 == l2 && iter + 1 < maxIter)
            RunNewton(l1, l2, ref newtonOk, ref iter, ref sinceNewton, maxIter - iter - 1);
        while (true)
        {
            var strong = _strongList.AsSpan(0, _strongCount);
            double d = Sweep(strong, l1, l2);
            _cert?.Push();
            iter++;
            sinceNewton++;
            if (d <= innerTol || iter >= maxIter)
            {
                if (_cert is not null)
                {
                    // Residual engine: a full pass costs n·p. First the certified gap from the strong set's exact gradients and
                    // bounds on the others (GaussianDualCertificate); only when it fails although the optimistic gap (the
                    // others' gradients as of the last pass) is small does the full pass run.
                    gap = _cert.Gap(strong, _w, _c, l1, l2, gapTol, out double optimistic);
                    if (gap <= gapTol) { converged = true; _cert.CopyEstimates(_c, _strong, _excluded); break; }
                    if (iter >= maxIter) break;
                    int likely = _cert.AddLikelyViolators(_strong, l1, _changed);
                    if (likely > 0) { MergeStrong(likely); continue; }
                    if (!_cert.WantsFullPass)
                    {
                        // The gap lacks the strong set's own convergence: an exact step on the support usually ends the α.
                        if (newtonOk && (sinceNewton >= NewtonCostInSweeps(CollectActive(), l2) || (_fValid && _fL2 == l2)) && RunNewton(l1, l2, ref newtonOk, ref iter, ref sinceNewton))
                            continue;
                        // Every feature outside the strong set is bounded below its threshold (the watched ones exactly): the
                        // strong set's own convergence is what the gap lacks. The sweeps' largest change must shrink in
                        // proportion (a fresh α: each coordinate moved little, but all of them did).
                        innerTol = Math.Max(innerTol * Math.Min(0.1, 0.1 * gapTol / Math.Max(optimistic, gapTol)), 1e-300);
                        continue;
                    }
                    _cert.FullPass(_c, _strong, _excluded, exact: false);
                    int addedCount = 0;
                    for (int j = 0; j < _p; j++)
                    {
                        if (_strong[j] || _excluded[j]) continue;
                        if (_cert.Bound(j) > l1 * _v[j]) { _strong[j] = true; _changed[addedCount++] = j; }
                    }
                    if (addedCount > 0) { MergeStrong(addedCount); continue; }
                    gap = _cert.Gap(_strongList.AsSpan(0, _strongCount), _w, _c, l1, l2, gapTol, out _);
                    if (gap <= gapTol) { converged = true; _cert.CopyEstimates(_c, _strong, _excluded); break; }
                    innerTol = Math.Max(innerTol * 0.1, 1e-300);
                    continue;
                }
                _e.FullGradient(_c, _excluded);
                bool added = false;
                for (int j = 0; j < _p; j++)
                {
                    if (_strong[j] || _excluded[j]) continue;
                    if (Math.Abs(_c[j]) > l1 * _v[j]) { _strong[j] = true; added = true; }
                }
                if (added) CollectStrong();
                if (added && iter < maxIter) continue;
                gap = Gap(l1, l2);
                if (gap <= gapTol) { converged = true; break; }
                if (iter >= maxIter) break;
                innerTol = Math.Max(innerTol * 0.1, 1e-300);
                continue;
            }
            int m = CollectActive();
            do
            {
                d = Sweep(_list.AsSpan(0, m), l1, l2);
                _cert?.Push();
                iter++;
                sinceNewton++;
                // Support Newton step: once coordinate descent has spent as many sweeps as an exact solve on the current
                // support costs, with a support that did not change in the last sweep, solve for the support directly.
                if (d > innerTol && !_supportChanged && newtonOk && iter < maxIter && sinceNewton >= NewtonCostInSweeps(m, l2))
                {
                    int solves = SupportNewton(l1, l2);
                    newtonOk = solves > 0 || CollectActive() >= _e.N;
                    _cert?.ForgetHistory();
                    iter += Math.Max(solves, 1);
                    sinceNewton = 0;
                    m = CollectActive();
                    d = double.PositiveInfinity;
                }
            } while (d > innerTol && iter < maxIter);
            if (iter >= maxIter)
            {
                // Budget spent inside the active set: report the gap of the last iterate (no further sweep).
                ExactFullGradient();
                gap = Gap(l1, l2);
                converged = gap <= gapTol;
                break;
            }
        }
        double rss = _e.Rss(_w);
        double dev = _e.YY > 0 ? 1 - rss / _e.YY : 0;
        return new SolveReport(iter, gap, gapTol, converged, dev);
    }

    /// <summary>A support Newton step with its bookkeeping (sweep count, history); false when none was taken.</summary>
    private bool RunNewton(double l1, double l2, ref bool newtonOk, ref int iter, ref int sinceNewton, int maxSolves = MaxNewtonDrops + 1)
    {
        int solves = SupportNewton(l1, l2, maxSolves);
        // A support of n or more features (saturation) has no step now, but may have one after coordinate descent.
        newtonOk = solves > 0 || CollectActive() >= _e.N;
        _cert?.ForgetHistory();
        iter += solves;
        sinceNewton = 0;
        return solves > 0;
    }

    /// <summary>Duality gap and deviance at the current coefficients, without iterating.</summary>
    public SolveReport Evaluate(double alpha)
    {
        double rho = _o.L1Ratio;
        ExactFullGradient();
        double gap = Gap(alpha * rho, alpha * (1 - rho));
        double gapTol = _o.Tolerance * _e.YY / _e.N;
        double dev = _e.YY > 0 ? 1 - _e.Rss(_w) / _e.YY : 0;
        return new SolveReport(0, gap, gapTol, gap <= gapTol, dev);
    }

    /// <summary>
    /// Exact steps on the current support A = {j : wⱼ ≠ 0} with signs sⱼ fixed: on that face the objective is the
    /// quadratic ½wᵀGw − wᵀX̃ᵀỹ/n + αρΣvⱼsⱼwⱼ + ½α(1−ρ)Σvⱼwⱼ², minimized at w + d with
    /// (G_AA + α(1−ρ)V_A)·d = c_A − αρV_As_A − α(1−ρ)V_Aw_A, c = X̃ᵀr/n the current gradient. If some wⱼ + dⱼ changes sign,
    /// the step stops at the first zero crossing (t = min wⱼ/(wⱼ − (wⱼ + dⱼ)) ≤ 1, that coordinate set to 0): the objective
    /// decreases monotonically along the segment, which lies in the face. After such a blocked step the solve is repeated
    /// on the smaller support (the Cholesky factor with the dropped row and column removed by an O(m²) update, no new Gram
    /// entries, the gradient updated as c − t·G_AA·d without dot products; at most <see cref="MaxNewtonDrops"/> times, and <paramref name="maxSolves"/> solves in all), as
    /// an active-set method drops a constraint: coordinate descent removes a spurious coordinate only slowly on a nearly
    /// singular G_AA. The steps move w only; the engine's residual (or q) takes the total change of each coordinate once at
    /// the end. The factor is kept for later steps and α values (<see cref="SyncFactor"/>). Returns the number of solves
    /// done (0: no change) —
    /// none when G_AA + α(1−ρ)V_A is not positive definite to rounding (collinear support, or |A| ≥ n) or A is too large.
    /// </summary>
    private int SupportNewton(double l1, double l2, int maxSolves = MaxNewtonDrops + 1)
    {
        int m = CollectActive();
        if (m == 0 || m > MaxNewtonSupport || m >= _e.N) return 0;
        if (_step.Length < m) { _step = new double[_p]; _grad = new double[_p]; _rhs = new double[_p]; _startList = new int[_p]; _startW = new double[_p]; }
        if (_scratch.Length < m) _scratch = new double[_p];
        if (!SyncFactor(m, l2)) return 0;
        int solves = 0;
        var grad = _grad.AsSpan(0, _fm);
        _e.Gradients(_fList.AsSpan(0, _fm), grad);
        // The steps move w only; the engine (residual or q) is updated once at the end with the total change per feature.
        int start = _fm;
        _fList.AsSpan(0, start).CopyTo(_startList);
        for (int a = 0; a < start; a++) _startW[a] = _w[_fList[a]];
        while (true)
        {
            int f = _fm;
            var list = _fList.AsSpan(0, f);
            var d = _step.AsSpan(0, f);
            var rhs = _rhs.AsSpan(0, f);
            for (int a = 0; a < f; a++)
            {
                int j = list[a];
                double v = _v[j], w = _w[j];
                rhs[a] = grad[a] - l1 * v * Math.Sign(w) - l2 * v * w;
            }
            rhs.CopyTo(d);
            Cholesky.Solve(_h.AsSpan(0, f * f), f, d);
            double t = SignChangeStep.Length(list, _w, d, out int block);
            for (int a = 0; a < f; a++)
            {
                int j = list[a];
                _w[j] = a == block ? 0.0 : _w[j] + t * d[a];
            }
            solves++;
            if (block < 0 || solves >= maxSolves || f == 1)
            {
                for (int a = 0; a < start; a++)
                {
                    int j = _startList[a];
                    double delta = _w[j] - _startW[a];
                    if (delta != 0) _e.Apply(j, delta);
                }
                return solves;
            }
            // The gradient on the face after the step, without new dot products: c − t·G_FF·d, G_FF·d = rhs − l2·V·d.
            for (int a = 0; a < f; a++) grad[a] -= t * (rhs[a] - l2 * _v[list[a]] * d[a]);
            // Drop the blocking coordinate from the list and from the factor (an O(m²) update, no new Gram entries).
            RemoveFromFactor(block);
            grad[(block + 1)..f].CopyTo(grad[block..]);
        }
    }

    /// <summary>
    /// Cost of a support Newton step on the m active features, in sweeps: a new factorization
    /// (<see cref="GaussianEngine.NewtonCostInSweeps"/>) or, when the factor kept from earlier steps (of this α or earlier
    /// ones, same l2) needs fewer changes, its updates: per feature joining, one Gram column and an O(m²) bordering; per
    /// feature leaving, an O(m²) downdate; then the O(m²) solve.
    /// </summary>
    private double NewtonCostInSweeps(int m, double l2)
    {
        double fresh = _e.NewtonCostInSweeps(m);
        if (!_fValid || _fL2 != l2) return fresh;
        int joins = 0;
        foreach (int j in _list.AsSpan(0, m))
            if (_fPos[j] < 0) joins++;
        int leaves = _fm - (m - joins);
        double quad = (double)m * m / _e.SweepCost(m);
        double update = joins * (_e.GramColumnCostInSweeps(m) + 0.5 * quad) + leaves * 0.5 * quad + 2 * quad + 1;
        return Math.Min(fresh, update);
    }

    /// <summary>
    /// Makes the kept factor that of G_AA + l2·V_A for the active set A = <see cref="_list"/>[..m] (in the factor's own
    /// order): features that left A are deleted (<see cref="Cholesky.DeleteRowColumn"/>), those that joined are appended
    /// (<see cref="Cholesky.Append"/>, one Gram column each), unless factoring afresh is cheaper, l2 changed, or m updates
    /// have accumulated since the last factorization (rounding drift). Returns false when the matrix is not positive
    /// definite to rounding (collinear support, |A| ≥ n).
    /// </summary>
    private bool SyncFactor(int m, double l2)
    {
        bool fresh = !_fValid || _fL2 != l2 || _fUpdates > 2 * m || NewtonCostInSweeps(m, l2) >= _e.NewtonCostInSweeps(m);
        if (!fresh)
        {
            for (int k = _fm - 1; k >= 0; k--)
                if (_w[_fList[k]] == 0) RemoveFromFactor(k);
            foreach (int j in _list.AsSpan(0, m))
            {
                if (_fPos[j] >= 0) continue;
                int f = _fm;
                EnsureFactorCapacity((f + 1) * (f + 1));
                var col = _scratch.AsSpan(0, f);
                _e.GramColumn(_fList.AsSpan(0, f), j, col);
                if (!Cholesky.Append(_h.AsSpan(0, (f + 1) * (f + 1)), f, col, _e.Norm[j] + l2 * _v[j]))
                {
                    fresh = true;
                    break;
                }
                _fList[f] = j;
                _fPos[j] = f;
                _fm = f + 1;
                _fUpdates++;
            }
        }
        if (!fresh) return true;
        for (int k = 0; k < _fm; k++) _fPos[_fList[k]] = -1;
        _list.AsSpan(0, m).CopyTo(_fList);
        _fm = m;
        for (int k = 0; k < m; k++) _fPos[_fList[k]] = k;
        EnsureFactorCapacity(m * m);
        _e.ActiveGram(_fList.AsSpan(0, m), _h);
        for (int a = 0; a < m; a++) _h[a * m + a] += l2 * _v[_fList[a]];
        _fValid = Cholesky.Factor(_h.AsSpan(0, m * m), m);
        _fL2 = l2;
        _fUpdates = 0;
        if (!_fValid)
        {
            for (int k = 0; k < _fm; k++) _fPos[_fList[k]] = -1;
            _fm = 0;
        }
        return _fValid;
    }

    /// <summary>Deletes position k from the kept factor and its feature list (an O(m²) downdate).</summary>
    private void RemoveFromFactor(int k)
    {
        int f = _fm;
        Cholesky.DeleteRowColumn(_h.AsSpan(0, f * f), f, k, _scratch);
        _fPos[_fList[k]] = -1;
        for (int a = k + 1; a < f; a++)
        {
            _fList[a - 1] = _fList[a];
            _fPos[_fList[a - 1]] = a - 1;
        }
        _fm = f - 1;
        _fUpdates++;
    }

    private void EnsureFactorCapacity(int size)
    {
        if (_h.Length >= size) return;
        int cap = (MaxNewtonSupport + 1) * (MaxNewtonSupport + 1);
        var grown = new double[Math.Max(size, Math.Min(2 * _h.Length, cap))];
        _h.AsSpan(0, Math.Min(_h.Length, _fm * _fm)).CopyTo(grown);
        _h = grown;
    }

    /// <summary>Lists the strong set in column order (after it changed).</summary>
    private void CollectStrong()
    {
        int m = 0;
        for (int j = 0; j < _p; j++)
            if (_strong[j]) _strongList[m++] = j;
        _strongCount = m;
        _cert?.SetStrong(_strong);
    }

    /// <summary>
    /// Adds the features <see cref="_changed"/>[..k] (in column order, already marked in <see cref="_strong"/>) to the
    /// strong list, keeping it in column order (a merge of two sorted lists, no pass over p).
    /// </summary>
    private void MergeStrong(int k)
    {
        int m = _strongCount, a = m - 1, b = k - 1;
        // From the back, in place: the list has room for p entries.
        for (int o = m + k - 1; b >= 0; o--)
            _strongList[o] = a >= 0 && _strongList[a] > _changed[b] ? _strongList[a--] : _changed[b--];
        _strongCount = m + k;
        _cert?.StrongChanged(_strong, _changed.AsSpan(0, k));
    }

    /// <summary>Lists the active set (strong and non-zero) in column order into <see cref="_list"/>.</summary>
    private int CollectActive()
    {
        int m = 0;
        foreach (int j in _strongList.AsSpan(0, _strongCount))
            if (_w[j] != 0) _list[m++] = j;
        return m;
    }

    /// <summary>
    /// Duality gap of the standardized problem, in objective units (1/(2n) scaling). The smaller of
    /// (a) scikit-learn's gap (cd_fast.pyx, dual point κ·r with κ making it feasible for the L1 part) divided by n, and
    /// (b) for ρ &lt; 1, the Fenchel gap at θ = r with the elastic-net conjugate Σ(|cⱼ| − αρvⱼ)₊²/(2α(1−ρ)vⱼ).
    /// Requires <see cref="_c"/> to be current.
    /// </summary>
    private double Gap(double l1, double l2)
    {
        double n = _e.N;
        double alphaS = l1 * n, beta = l2 * n;
        double dual = 0, wv2 = 0, l1n = 0, conj = 0;
        for (int j = 0; j < _p; j++)
        {
            if (_excluded[j]) continue;
            double v = _v[j], w = _w[j];
            wv2 += v * w * w;
            l1n += v * Math.Abs(w);
            if (v > 0)
            {
                dual = Math.Max(dual, Math.Abs(n * _c[j] - Product(beta, v * w)) / v);
                if (l2 > 0)
                {
                    double e = Math.Abs(_c[j]) - l1 * v;
                    if (e > 0) conj += e * e / (2 * l2 * v);
                }
            }
        }
        double rss = _e.Rss(_w), ry = _e.ResidualDotY(_w);
        double kappa = dual > alphaS ? alphaS / dual : 1.0;
        double gapSk = 0.5 * (1 + kappa * kappa) * (rss + Product(beta, wv2)) + Product(alphaS, l1n) - kappa * ry;
        double gap = gapSk / n;
        if (l2 > 0)
        {
            double primal = rss / (2 * n) + l1 * l1n + 0.5 * l2 * wv2;
            double dualValue = (ry - 0.5 * rss) / n - conj;
            gap = Math.Min(gap, primal - dualValue);
        }
        Debug.Assert(!double.IsNaN(gap));
        return Math.Max(gap, 0);
    }

    /// <summary>
    /// a·b with 0 when b = 0: a penalty weight n·α may overflow to ∞ for a huge α (e.g. 1e308), where every
    /// coefficient is 0 and its term must be 0, not ∞·0 = NaN.
    /// </summary>
    private static double Product(double a, double b) => b == 0 ? 0 : a * b;
}
