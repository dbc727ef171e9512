using Occam.Data;
using Occam.Linear;
using Occam.Numerics.Random;
using Occam.Optimizers;
using Occam.Regularization;

namespace Occam.Experiments;

/// <summary>
/// Claim (notes 000, 004): biases are not penalized, so a huge λ leaves a constant model. Which constant, and what does
/// penalizing the bias change?
/// </summary>
/// <remarks>
/// Protocol. Regression data: <see cref="PolynomialExperiment.Draw"/> (n = 20, y = 2 + 3x + 4x² + N(0, 1), columns
/// x..x⁵). Binary data (one <see cref="Rng"/> per data set, seed + 500 000 + d): n rows x ~ N(0, I₃),
/// y = 1 when x₁ + N(0, 1) &gt; 0.8 (prior P(y = 1) = 1 − Φ(0.8/√2) ≈ 0.286); draws per row x₁, x₂, x₃, noise.
/// Linear models (float64): lasso/logistic lasso at 10·α_max (every weight exactly zero) and ridge at α = 10⁸, with the
/// intercept unpenalized (the library's only mode); "bias penalized" = a column of ones with no separate intercept and no
/// standardization, so the penalty treats it as a weight (the linear solvers have no option to penalize b).
/// Networks (float32 engine): one hidden layer of 8 ReLU units, Adam (lr 0.05), full batch, 300 epochs, L1 prox with λ = 100
/// (far above every gradient, so every weight is exactly zero), with biases free or <c>.IncludingBias()</c>; the regressor
/// trains on the raw target (<c>StandardizeTarget = false</c>: with a standardized target a zero output maps back to ȳ).
/// Expected constants: ȳ for squared error and log(p̂/(1 − p̂)) (p̂ the training share of class 1) for the logistic
/// loss when b is free; 0 (prediction 0, probability ½) when b is penalized.
/// </remarks>
public static class BiasExperiment
{
    /// <summary>Draws binary data set <paramref name="index"/>.</summary>
    public static Dataset DrawBinary(BiasProtocol protocol, int index)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        var rng = new Rng(protocol.Seed + 500_000UL + (ulong)index);
        int n = protocol.BinaryRows;
        var x = new double[n * 3];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < 3; j++) x[3 * i + j] = rng.NextNormal();
            y[i] = x[3 * i] + rng.NextNormal() > 0.8 ? 1 : 0;
        }
        return new Dataset(x, y, n, 3, ["x1", "x2", "x3"], "y", TaskKind.Binary, ["0", "1"]);
    }

    /// <summary>Appends a column of ones (the bias as a penalized weight).</summary>
    public static double[] WithOnes(double[] x, int rows, int features)
    {
        ArgumentNullException.ThrowIfNull(x);
        var result = new double[rows * (features + 1)];
        for (int i = 0; i < rows; i++)
        {
            x.AsSpan(i * features, features).CopyTo(result.AsSpan(i * (features + 1)));
            result[i * (features + 1) + features] = 1;
        }
        return result;
    }

    /// <summary>Runs the protocol.</summary>
    public static BiasResult Run(BiasProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        protocol.Validate();
        var poly = new PolynomialProtocol { Seed = protocol.Seed };
        int m = protocol.Datasets, deg = poly.Degree, n = poly.Rows;
        var regression = new List<ConstantFit>();
        var binary = new List<ConstantFit>();
        var free = LinearSolverSettings.Options(1);
        var penalizedBias = LinearSolverSettings.Options(1) with { FitIntercept = false, Standardize = false };
        for (int d = 0; d < m; d++)
        {
            var (x0, y) = PolynomialExperiment.Draw(poly, d);
            var x = PolynomialExperiment.Expand(x0, deg);
            double ybar = y.Average();
            double amax = ElasticNetRegression.AlphaMax(x, n, deg, y, free);
            regression.Add(Constant(BiasModel.LassoFreeBias, ybar, ElasticNetRegression.Fit(x, n, deg, y, 10 * amax, free).EnsureConverged().Model));
            regression.Add(Constant(BiasModel.RidgeFreeBias, ybar, RidgeRegression.Fit(x, n, deg, y, protocol.RidgeInfinity, free).Model));
            var x1 = WithOnes(x, n, deg);
            double amax1 = ElasticNetRegression.AlphaMax(x1, n, deg + 1, y, penalizedBias);
            regression.Add(Constant(BiasModel.LassoPenalizedBias, ybar, Bias(ElasticNetRegression.Fit(x1, n, deg + 1, y, 10 * amax1, penalizedBias).EnsureConverged().Model)));
            regression.Add(Constant(BiasModel.RidgePenalizedBias, ybar, Bias(RidgeRegression.Fit(x1, n, deg + 1, y, protocol.RidgeInfinity, penalizedBias).Model)));

            var data = DrawBinary(protocol, d);
            double prior = data.Y.Average(), logOdds = Math.Log(prior / (1 - prior));
            var lo = free;
            double bmax = BinaryLogisticRegression.Path(data.X, data.Rows, 3, data.Y, lo, new PathOptions { Count = 1 }).Alphas[0];
            binary.Add(Constant(BiasModel.LassoFreeBias, logOdds, BinaryLogisticRegression.Fit(data.X, data.Rows, 3, data.Y, 10 * bmax, lo).EnsureConverged().Model));
            var xb = WithOnes(data.X, data.Rows, 3);
            var pb = lo with { FitIntercept = false, Standardize = false };
            double bmax1 = BinaryLogisticRegression.Path(xb, data.Rows, 4, data.Y, pb, new PathOptions { Count = 1 }).Alphas[0];
            binary.Add(Constant(BiasModel.LassoPenalizedBias, logOdds, Bias(BinaryLogisticRegression.Fit(xb, data.Rows, 4, data.Y, 10 * bmax1, pb).EnsureConverged().Model)));
        }
        var networks = new List<NetworkConstant>();
        for (int s = 0; s < protocol.NetworkSeeds; s++)
        {
            var (x0, y) = PolynomialExperiment.Draw(poly with { Rows = protocol.BinaryRows }, s);
            var reg = Dataset.ForRegression(ToMatrix(x0, x0.Length, 1), y);
            var cls = DrawBinary(protocol, s);
            foreach (bool includeBias in new[] { false, true })
            {
                var penalty = includeBias ? Penalty.L1(protocol.NetworkLambda).IncludingBias() : Penalty.L1(protocol.NetworkLambda);
                var r = new MlpRegressor { Hidden = [8], Penalty = penalty, Optimizer = Optim.Adam(0.05), Epochs = 300, BatchSize = 0, StandardizeTarget = false, Seed = (ulong)s }.Fit(reg);
                networks.Add(NetworkConstant.Of(includeBias, TaskKind.Regression, y.Average(), r, r.Predict(reg)));
                var c = new MlpClassifier { Hidden = [8], Penalty = penalty, Optimizer = Optim.Adam(0.05), Epochs = 300, BatchSize = 0, Seed = (ulong)s }.Fit(cls);
                double prior = cls.Y.Average();
                var proba = c.PredictProba(cls);
                networks.Add(NetworkConstant.Of(includeBias, TaskKind.Binary, prior, c, Enumerable.Range(0, cls.Rows).Select(i => proba[2 * i + 1]).ToArray()));
            }
        }
        return new BiasResult(protocol, regression, binary, networks, InterceptPath(poly));
    }

    /// <summary>The intercept of lasso fits of data set 0 across α/α_max ∈ [10⁻³, 10], bias free and bias penalized.</summary>
    private static BiasInterceptPath InterceptPath(PolynomialProtocol poly)
    {
        var (x0, y) = PolynomialExperiment.Draw(poly, 0);
        int n = x0.Length, deg = poly.Degree;
        var x = PolynomialExperiment.Expand(x0, deg);
        var x1 = WithOnes(x, n, deg);
        var fractions = ElasticNetRegression.AlphaGrid(10, 41, 1e-4);
        var free = LinearSolverSettings.Options(1);
        var penalized = LinearSolverSettings.Options(1) with { FitIntercept = false, Standardize = false };
        double a = ElasticNetRegression.AlphaMax(x, n, deg, y, free), a1 = ElasticNetRegression.AlphaMax(x1, n, deg + 1, y, penalized);
        var pf = ElasticNetRegression.Path(x, n, deg, y, free, new PathOptions { Alphas = fractions.Select(f => f * a).ToArray() });
        var pp = ElasticNetRegression.Path(x1, n, deg + 1, y, penalized, new PathOptions { Alphas = fractions.Select(f => f * a1).ToArray() });
        return new BiasInterceptPath(fractions, pf.Intercepts, pp.Coefs.Select(c => c[deg]).ToArray(), y.Average());
    }

    private static double[,] ToMatrix(double[] x, int rows, int cols)
    {
        var m = new double[rows, cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) m[i, j] = x[i * cols + j];
        return m;
    }

    /// <summary>The model with its last coefficient (the ones column) moved into the intercept.</summary>
    private static LinearCoefficients Bias(LinearCoefficients m) =>
        new(m.Task, m.Coef[..^1], m.Intercept + m.Coef[^1], m.Alpha, m.L1Ratio);

    private static ConstantFit Constant(BiasModel model, double expected, LinearCoefficients fit) =>
        new(model, fit.Intercept, expected, fit.Coef.Max(Math.Abs));
}

/// <summary>The settings of <see cref="BiasExperiment"/>.</summary>
public sealed record BiasProtocol
{
    /// <summary>Data sets for the linear models (default 200).</summary>
    public int Datasets { get; init; } = 200;
    /// <summary>Rows of each binary data set and of the network's regression data (default 200).</summary>
    public int BinaryRows { get; init; } = 200;
    /// <summary>The ridge α standing for λ → ∞ (default 1e8).</summary>
    public double RidgeInfinity { get; init; } = 1e8;
    /// <summary>Seeds (data set and initialization) for the networks (default 10).</summary>
    public int NetworkSeeds { get; init; } = 10;
    /// <summary>The networks' L1 λ (default 100).</summary>
    public double NetworkLambda { get; init; } = 100;
    /// <summary>Seed.</summary>
    public ulong Seed { get; init; } = 1;

    internal void Validate()
    {
        if (Datasets < 1 || NetworkSeeds < 1) throw OccamException.Usage("the bias experiment needs at least 1 data set and 1 network seed.");
        if (BinaryRows < 10) throw OccamException.Usage($"the bias experiment needs at least 10 binary rows (got {BinaryRows}).");
    }
}

/// <summary>A linear fit at a huge α.</summary>
public enum BiasModel
{
    /// <summary>Lasso (or logistic lasso) at 10·α_max, intercept free.</summary>
    LassoFreeBias,
    /// <summary>Ridge at a huge α, intercept free.</summary>
    RidgeFreeBias,
    /// <summary>Lasso at 10·α_max with the bias as a penalized column of ones.</summary>
    LassoPenalizedBias,
    /// <summary>Ridge at a huge α with the bias as a penalized column of ones.</summary>
    RidgePenalizedBias,
}

/// <summary>One linear fit at a huge α: its intercept, the constant the claim's analysis expects when b is free, and max |wⱼ|.</summary>
public sealed record ConstantFit(BiasModel Model, double Intercept, double FreeBiasConstant, double MaxAbsWeight);

/// <summary>One network at a huge L1 λ: its task, whether the bias was penalized, the free-bias constant, and what it predicts.</summary>
public sealed record NetworkConstant(bool BiasPenalized, TaskKind Task, double FreeBiasConstant, bool AllWeightsZero, bool AllBiasesZero, double MeanPrediction, double PredictionSpread)
{
    internal static NetworkConstant Of(bool biasPenalized, TaskKind task, double constant, MlpModel model, double[] predictions) =>
        new(biasPenalized, task, constant,
            model.Network.DenseLayers.All(l => l.Weight.All(w => w == 0)),
            model.Network.DenseLayers.All(l => l.Bias.All(b => b == 0)),
            predictions.Average(), predictions.Max() - predictions.Min());
}

/// <summary>Lasso intercepts of data set 0 over α/α_max, bias free (the solver's intercept) and penalized (the ones column).</summary>
public sealed record BiasInterceptPath(double[] AlphaFractions, double[] FreeIntercept, double[] PenalizedIntercept, double MeanY);

/// <summary>Everything <see cref="BiasExperiment"/> measured.</summary>
public sealed record BiasResult(BiasProtocol Protocol, IReadOnlyList<ConstantFit> Regression, IReadOnlyList<ConstantFit> Binary, IReadOnlyList<NetworkConstant> Networks, BiasInterceptPath Path);
