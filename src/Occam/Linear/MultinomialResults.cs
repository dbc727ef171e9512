using Occam.Numerics;

namespace Occam.Linear;

/// <summary>
/// A fitted multinomial model in original units: ηₖ = bₖ + Σⱼ Coef[k][j]·xⱼ for each class k, P(class k) = softmax(η)ₖ.
/// </summary>
public sealed class MultinomialModel
{
    public MultinomialModel(double[][] coef, double[] intercepts, double alpha, double l1Ratio, bool grouped)
    {
        ArgumentNullException.ThrowIfNull(coef);
        ArgumentNullException.ThrowIfNull(intercepts);
        Preconditions.Check(coef.Length >= 2 && coef.Length == intercepts.Length, $"coef has {coef.Length} rows and intercepts {intercepts.Length} values; give one row and one intercept per class (at least 2).", nameof(coef));
        Preconditions.Check(coef.All(r => r is not null && r.Length == coef[0].Length), "every class row of coef needs one value per feature.", nameof(coef));
        Coef = coef;
        Intercepts = intercepts;
        Alpha = alpha;
        L1Ratio = l1Ratio;
        Grouped = grouped;
    }

    /// <summary>Coefficients [class][feature], in the units of the original columns.</summary>
    public double[][] Coef { get; }
    /// <summary>Intercepts, one per class.</summary>
    public double[] Intercepts { get; }
    public double Alpha { get; }
    public double L1Ratio { get; }
    /// <summary>True when fitted with the grouped penalty (‖βⱼ‖₂ across classes).</summary>
    public bool Grouped { get; }
    public int Classes => Coef.Length;
    public int Features => Coef[0].Length;

    /// <summary>Number of features with a non-zero coefficient in at least one class.</summary>
    public int NonZero => Enumerable.Range(0, Features).Count(j => Coef.Any(r => r[j] != 0));

    /// <summary>Coefficients with each feature's mean over classes subtracted: unique even where <see cref="Coef"/> is not.</summary>
    public double[][] CenteredCoef()
    {
        var c = Coef.Select(r => (double[])r.Clone()).ToArray();
        for (int j = 0; j < Features; j++)
        {
            double m = 0;
            for (int k = 0; k < Classes; k++) m += c[k][j];
            m /= Classes;
            for (int k = 0; k < Classes; k++) c[k][j] -= m;
        }
        return c;
    }

    /// <summary>Linear predictors η (one per class) for one row.</summary>
    public void Decision(ReadOnlySpan<double> row, Span<double> eta)
    {
        Preconditions.Check(row.Length == Features, $"row has {row.Length} values; the model has {Features} features.", nameof(row));
        Preconditions.Check(eta.Length == Classes, $"eta has {eta.Length} values; the model has {Classes} classes.", nameof(eta));
        for (int k = 0; k < Classes; k++)
        {
            double s = Intercepts[k];
            var w = Coef[k];
            for (int j = 0; j < w.Length; j++) s += w[j] * row[j];
            eta[k] = s;
        }
    }

    /// <summary>Class probabilities for every row of a row-major matrix: rows × Classes, row-major.</summary>
    public double[] PredictProba(double[] x, int rows)
    {
        ArgumentNullException.ThrowIfNull(x);
        Preconditions.Check(x.Length == (long)rows * Features, $"x has {x.Length} values; rows × features = {(long)rows * Features}.", nameof(x));
        var result = new double[rows * Classes];
        for (int i = 0; i < rows; i++)
        {
            var eta = result.AsSpan(i * Classes, Classes);
            Decision(x.AsSpan(i * Features, Features), eta);
            double m = double.NegativeInfinity, s = 0;
            foreach (double e in eta) m = Math.Max(m, e);
            for (int k = 0; k < eta.Length; k++) { eta[k] = Math.Exp(eta[k] - m); s += eta[k]; }
            for (int k = 0; k < eta.Length; k++) eta[k] /= s;
        }
        return result;
    }

    /// <summary>The most probable class index of every row (the lowest index on ties).</summary>
    public int[] PredictClass(double[] x, int rows)
    {
        var proba = PredictProba(x, rows);
        var result = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            int best = 0;
            for (int k = 1; k < Classes; k++)
                if (proba[i * Classes + k] > proba[i * Classes + best]) best = k;
            result[i] = best;
        }
        return result;
    }
}

/// <summary>One multinomial fit at one α; see <see cref="SolverFit{TModel}"/>.</summary>
public sealed class MultinomialFit : SolverFit<MultinomialModel>
{
    internal MultinomialFit(MultinomialModel model, int iterations, double dualGap, double gapTolerance, bool converged, double devianceExplained, IReadOnlyList<string> warnings, double seconds)
        : base(model, iterations, dualGap, gapTolerance, converged, devianceExplained, warnings, seconds) { }

    /// <summary>Throws <see cref="OccamException"/> if the fit did not converge; returns this fit otherwise.</summary>
    public MultinomialFit EnsureConverged()
    {
        ThrowIfNotConverged();
        return this;
    }
}

/// <summary>A multinomial regularization path, largest α first.</summary>
public sealed class MultinomialPath : PathReport
{
    internal MultinomialPath(double l1Ratio, bool grouped, double[] alphas, double[][][] coefs, double[][] intercepts, int[] iterations, double[] gaps, double[] gapTolerances, bool[] converged, double[] devianceExplained, IReadOnlyList<string> warnings, double seconds)
        : base(l1Ratio, alphas, iterations, gaps, gapTolerances, converged, devianceExplained, warnings, seconds)
    {
        Grouped = grouped;
        Coefs = coefs;
        Intercepts = intercepts;
        NonZero = alphas.Select((_, a) => ModelAt(a).NonZero).ToArray();
    }

    public bool Grouped { get; }
    /// <summary>Coefficients in original units: [α][class][feature].</summary>
    public double[][][] Coefs { get; }
    /// <summary>Intercepts: [α][class].</summary>
    public double[][] Intercepts { get; }
    /// <summary>Features with a non-zero coefficient in some class, per α.</summary>
    public int[] NonZero { get; }

    internal MultinomialPath WithSeconds(double seconds)
    {
        SetSeconds(seconds);
        return this;
    }

    /// <summary>The model at path index <paramref name="index"/>.</summary>
    public MultinomialModel ModelAt(int index) =>
        new(Coefs[index].Select(r => (double[])r.Clone()).ToArray(), (double[])Intercepts[index].Clone(), Alphas[index], L1Ratio, Grouped);
}
