using Occam.Data;
using Occam.Numerics.Activations;
using Occam.Numerics.Random;
using Occam.Optimizers;
using Occam.Regularization;

namespace Occam.Experiments;

/// <summary>
/// Counts the weights that are exactly zero (<c>w == 0</c>) after training with L1 and with L2, each way a user trains:
/// <list type="bullet">
/// <item>linear regression (a sparse problem: 20 standard-normal features, 5 relevant, 200 rows, noise sd 1) solved by
/// coordinate descent in float64 — <c>Lasso { Alpha = α }</c> vs <c>Ridge { Alpha = α }</c>, scikit-learn's objective — and
/// the same linear model trained by SGD/Adam in float32 (<c>MlpRegressor { Hidden = [] }</c>) with L1 as a prox step, L1 as
/// the subgradient PyTorch users get from <c>loss + λ·Σ|w|</c>, and L2;</item>
/// <item>a 64-32-10 ReLU network on digits (8×8 pixels, 1 197 training rows, the rest for testing) trained by Adam and by SGD
/// with momentum, with the same three penalties and none.</item>
/// </list>
/// Each seed draws a new data set (linear) or split and initialization (digits).
/// </summary>
public static class ExactZeros
{
    /// <summary>Linear-model penalty: α for CD (scikit-learn's (1/(2n))‖r‖² + α‖w‖₁); the float32 runs use λ = 2α on the mean squared error, the same objective.</summary>
    public const double LinearAlpha = 0.1;

    /// <summary>Network penalty λ (λ·Σ|w| or λ/2·Σw² on every weight matrix).</summary>
    public const double NetworkLambda = 1e-3;

    /// <summary>A weight counts as "near zero" below this magnitude (to show how close the subgradient gets without reaching 0).</summary>
    public const double NearZero = 1e-3;

    /// <summary>The methods of the linear problem, in report order.</summary>
    public static IReadOnlyList<ZeroMethod> LinearMethods { get; } =
    [
        new("cd-lasso", "L1", "coordinate descent (Lasso)", "float64"),
        new("cd-ridge", "L2", "coordinate descent (Ridge)", "float64"),
        new("sgd-l1-prox", "L1", "SGD, prox", "float32"),
        new("sgd-l1-subgradient", "L1", "SGD, subgradient (loss + λΣ|w|)", "float32"),
        new("adam-l1-subgradient", "L1", "Adam, subgradient (loss + λΣ|w|)", "float32"),
        new("sgd-l2", "L2", "SGD, L2 in the loss", "float32"),
        new("adam-l2", "L2", "Adam, L2 in the loss", "float32"),
    ];

    /// <summary>The methods of the digits network, in report order.</summary>
    public static IReadOnlyList<ZeroMethod> NetworkMethods { get; } =
    [
        new("adam-none", "none", "Adam, no penalty", "float32"),
        new("adam-l1-prox", "L1", "Adam, prox", "float32"),
        new("adam-l1-subgradient", "L1", "Adam, subgradient (loss + λΣ|w|)", "float32"),
        new("adam-l2", "L2", "Adam, L2 in the loss", "float32"),
        new("sgd-l1-prox", "L1", "SGD momentum, prox", "float32"),
        new("sgd-l1-subgradient", "L1", "SGD momentum, subgradient (loss + λΣ|w|)", "float32"),
        new("sgd-l2", "L2", "SGD momentum, L2 in the loss", "float32"),
    ];

    /// <summary>
    /// Runs both problems over seeds <paramref name="seedBase"/> … <paramref name="seedBase"/> + <paramref name="seeds"/> − 1;
    /// the networks train <paramref name="epochs"/> epochs on <paramref name="digits"/>.
    /// </summary>
    public static ExactZerosResult Run(Dataset digits, int seeds, ulong seedBase, int epochs)
    {
        ArgumentNullException.ThrowIfNull(digits);
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        var linear = LinearMethods.Select(m => new List<FitCount>()).ToArray();
        var network = NetworkMethods.Select(m => new List<FitCount>()).ToArray();
        for (int s = 0; s < seeds; s++)
        {
            ulong seed = seedBase + (ulong)s;
            var data = ExperimentData.SparseRegression(200, 20, 5, 1.0, new Rng(seed));
            for (int m = 0; m < LinearMethods.Count; m++) linear[m].Add(FitLinear(LinearMethods[m].Id, data, seed));
            var (train, test) = ExperimentData.StratifiedSplit(digits, 1197, seed);
            for (int m = 0; m < NetworkMethods.Count; m++) network[m].Add(FitNetwork(NetworkMethods[m].Id, train, test, seed, epochs));
        }
        return new ExactZerosResult(
            [.. LinearMethods.Select((m, i) => new MethodCounts(m, linear[i]))],
            [.. NetworkMethods.Select((m, i) => new MethodCounts(m, network[i]))]);
    }

    /// <summary>One fit of the linear problem by <paramref name="method"/>; counts its exact zeros among the 20 coefficients.</summary>
    public static FitCount FitLinear(string method, Dataset data, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (method is "cd-lasso" or "cd-ridge")
        {
            var model = method == "cd-lasso" ? new Lasso { Alpha = LinearAlpha, Tolerance = 1e-8 }.Fit(data) : new Ridge { Alpha = LinearAlpha }.Fit(data);
            var coef = model.Coef;
            return new FitCount(coef.Count, coef.Count(c => c == 0), coef.Count(c => Math.Abs(c) < NearZero), model.Score(data));
        }
        double lambda = 2 * LinearAlpha;
        var (optimizer, penalty) = method switch
        {
            "sgd-l1-prox" => (Optim.Sgd(lr: 0.01), Penalty.L1(lambda)),
            "sgd-l1-subgradient" => (Optim.Sgd(lr: 0.01), Penalty.L1(lambda, L1Mode.Subgradient)),
            "adam-l1-subgradient" => (Optim.Adam(lr: 0.01), Penalty.L1(lambda, L1Mode.Subgradient)),
            "sgd-l2" => (Optim.Sgd(lr: 0.01), Penalty.L2(lambda)),
            "adam-l2" => (Optim.Adam(lr: 0.01), Penalty.L2(lambda)),
            _ => throw new ArgumentException($"unknown linear method '{method}'.", nameof(method)),
        };
        var fit = new MlpRegressor
        {
            Hidden = [], Penalty = penalty, Optimizer = optimizer, Epochs = 100, BatchSize = 20, StandardizeTarget = false, Seed = seed,
        }.Fit(data);
        var w = fit.Network.DenseLayers[0].Weight;
        return new FitCount(w.Length, w.Count(v => v == 0f), w.Count(v => Math.Abs(v) < NearZero), fit.Score(data));
    }

    /// <summary>One fit of the digits network by <paramref name="method"/>; counts exact zeros over all weight matrices.</summary>
    public static FitCount FitNetwork(string method, Dataset train, Dataset test, ulong seed, int epochs)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        string[] parts = method.Split('-', 2);
        var optimizer = parts[0] == "adam" ? Optim.Adam(lr: 1e-3) : Optim.Sgd(lr: 0.01, momentum: 0.9);
        var penalty = parts[1] switch
        {
            "none" => Penalty.None,
            "l1-prox" => Penalty.L1(NetworkLambda),
            "l1-subgradient" => Penalty.L1(NetworkLambda, L1Mode.Subgradient),
            "l2" => Penalty.L2(NetworkLambda),
            _ => throw new ArgumentException($"unknown network method '{method}'.", nameof(method)),
        };
        var model = new MlpClassifier
        {
            Hidden = [32], Activation = ActivationKind.Relu, Penalty = penalty, Optimizer = optimizer, Epochs = epochs, BatchSize = 32, Seed = seed,
        }.Fit(train);
        int weights = 0, zeros = 0, near = 0;
        foreach (var layer in model.Network.DenseLayers)
        {
            weights += layer.Weight.Length;
            zeros += layer.Weight.Count(v => v == 0f);
            near += layer.Weight.Count(v => Math.Abs(v) < NearZero);
        }
        return new FitCount(weights, zeros, near, model.Score(test));
    }
}

/// <summary>A way of training: id, penalty family (L1, L2, none), optimizer/solver and how, and the precision it computes in.</summary>
public sealed record ZeroMethod(string Id, string Penalty, string How, string Precision);

/// <summary>One fit: its weights, how many are exactly zero, how many are below <see cref="ExactZeros.NearZero"/> in magnitude, and its score (R² on the training data for the linear problem, test accuracy for digits).</summary>
public sealed record FitCount(int Weights, int ExactZeros, int NearZero, double Score);

/// <summary>The fits of one method, one per seed.</summary>
public sealed record MethodCounts(ZeroMethod Method, IReadOnlyList<FitCount> Fits)
{
    /// <summary>Weights over all fits.</summary>
    public long Weights => Fits.Sum(f => (long)f.Weights);

    /// <summary>Exact zeros over all fits.</summary>
    public long ExactZeros => Fits.Sum(f => (long)f.ExactZeros);

    /// <summary>Fits with at least one exact zero.</summary>
    public int FitsWithZeros => Fits.Count(f => f.ExactZeros > 0);
}

/// <summary>Everything <see cref="ExactZeros.Run"/> counted.</summary>
public sealed record ExactZerosResult(IReadOnlyList<MethodCounts> Linear, IReadOnlyList<MethodCounts> Network);
