using System.Numerics.Tensors;
using Occam.Numerics.LinearAlgebra;
using Occam.Numerics.Standardization;

namespace Occam.Linear;

/// <summary>
/// Compiles the vector kernels of a lasso or elastic-net fit on the Gram engine (<see cref="GaussianProblem.Create"/>,
/// <see cref="GaussianSolver"/>) by running each once on a few values of its own, <b>last needed first</b>: the solver's
/// coordinate update and dot product, the Gram engine's ‖ỹ‖² (TensorPrimitives' Vector512 dot, a generic instantiation
/// compiled at tier 0), the centred Gram matrix, then the column statistics. Meant for a background thread started while
/// the command line is read: a fit that starts while it runs meets the kernels it needs first not yet begun and compiles
/// them itself, while this thread compiles those it needs later, instead of both threads walking the fit in the same
/// order, one waiting for the other's compilation (docs/algorithms/startup.md, "Start-up of linear fit (session 17)").
/// Changes no result: its arrays are its own; the code it compiles is the code the fit's first calls would compile.
/// Public through <see cref="LinearWarmup.RunGaussianKernels"/>, the one home of the linear warm-ups.
/// </summary>
/// <remarks>
/// These kernels test <c>Vector512</c> (or are such instantiations), so ReadyToRun code does not cover them on AVX-512
/// machines; the fit's drivers (<see cref="GaussianSolver.Solve"/> and the others) run precompiled code.
/// </remarks>
internal static class GaussianWarmup
{
    /// <summary>Columns of the tiny problem: two Vector512 widths of doubles, so the kernels take their vector paths.</summary>
    private const int Features = 16;

    /// <summary>Rows of the tiny problem.</summary>
    private const int Rows = 24;

    /// <summary>Runs each kernel once (see the class summary); returns a value computed from their results so nothing is dropped.</summary>
    public static double Run()
    {
        var a = new double[Rows * Features];
        for (int i = 0; i < a.Length; i++) a[i] = ((i * 7) % 11) - 5.0 + 0.25 * (i % 3);
        var u = a.AsSpan(0, Rows);
        var v = new double[Rows];
        for (int i = 0; i < Rows; i++) v[i] = 0.5 * i - 3.0;

        // Solve: wⱼ's update q ← q − δ·G_j (Axpy) and the gap's ‖r‖², rᵀỹ (Dot).
        Axpy.Compute(-0.5, u, v);
        double sum = Dot.Compute(u, v);
        // The Gram engine's ‖ỹ‖².
        sum += TensorPrimitives.Dot<double>(v, v);
        // The Gram matrix of the centred, scaled rows and X̃ᵀỹ.
        var rows = new int[Rows];
        for (int i = 0; i < Rows; i++) rows[i] = i;
        var mean = new double[Features];
        var inv = new double[Features];
        for (int j = 0; j < Features; j++) { mean[j] = 0.5 * j; inv[j] = 1.0 / (1 + j); }
        var g = new double[Features * Features];
        var xty = new double[Features];
        Gram.ComputeCentered(a, rows, Features, mean, inv, v, g, xty);
        sum += g[Features + 1] + xty[1];
        // The column statistics (ColumnStats.Compute, which needs the sums, minima and maxima first, then the squared deviations).
        var min = new double[Features];
        var max = new double[Features];
        var ss = new double[Features];
        Array.Clear(mean);
        for (int i = 0; i < Rows; i++) SquaredDeviations.Add(a.AsSpan(i * Features, Features), inv, ss);
        for (int i = 0; i < Rows; i++) ColumnSums.Add(a.AsSpan(i * Features, Features), mean, min, max);
        return sum + mean[0] + ss[0];
    }
}
