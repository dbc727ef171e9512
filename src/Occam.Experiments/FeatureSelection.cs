using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Activations;
using Occam.Numerics.Random;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Training;

namespace Occam.Experiments;

/// <summary>
/// Feature selection on the first layer of a digits MLP (8×8 pixels, data/digits.csv): a 64-32-10 ReLU network trained
/// by plain SGD (lr 0.1, batch 32, standardized inputs; no momentum, so each step is an exact proximal-gradient step) with a
/// penalty on the first layer only, in float32:
/// <list type="bullet">
/// <item><b>L1</b>: λ·Σ|W₁| with the prox (soft-threshold lr·λ after each step; <c>Penalty.PerLayer(Penalty.L1(λ), Penalty.None)</c>);</item>
/// <item><b>group lasso on inputs</b>: λ·Σ_j √32·‖W₁[:, j]‖₂, one group per pixel (its 32 outgoing weights), prox
/// <see cref="GroupLasso.ProxColumns"/> with step lr after each step.</item>
/// </list>
/// A pixel is kept when a chain of non-zero weights still leads from it to an output (<see cref="SparsityReport"/>);
/// accuracy is measured on the rows not trained on. Each seed draws a new stratified split (1 197 train rows) and
/// initialization; the same seed gives the same split and initialization for every method and λ.
/// </summary>
public static class FeatureSelection
{
    /// <summary>Hidden units of the network.</summary>
    public const int Hidden = 32;

    /// <summary>SGD learning rate (also the prox step).</summary>
    public const double LearningRate = 0.1;

    /// <summary>The λ grid of both methods: 10^(−3 + k/4), k = 0..10 (1e-3 to 0.32), the quick profile every other one.</summary>
    public static IReadOnlyList<double> Lambdas { get; } = [.. Enumerable.Range(0, 11).Select(k => Math.Pow(10, -3 + k / 4.0))];

    /// <summary>The methods: "l1" and "group-inputs".</summary>
    public static IReadOnlyList<string> Methods { get; } = ["l1", "group-inputs"];

    /// <summary>Trains every method × λ (and an unpenalized baseline) on <paramref name="seeds"/> splits of <paramref name="digits"/>.</summary>
    public static FeatureSelectionResult Run(Dataset digits, int seeds, ulong seedBase, int epochs, IReadOnlyList<double>? lambdas = null)
    {
        ArgumentNullException.ThrowIfNull(digits);
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        lambdas ??= Lambdas;
        var fits = new List<SelectionFit>();
        for (int s = 0; s < seeds; s++)
        {
            ulong seed = seedBase + (ulong)s;
            var (train, test) = ExperimentData.StratifiedSplit(digits, 1197, seed);
            fits.Add(Fit(train, test, "none", 0, seed, epochs));
            foreach (string method in Methods)
                foreach (double lambda in lambdas) fits.Add(Fit(train, test, method, lambda, seed, epochs));
        }
        return new FeatureSelectionResult(digits.FeatureNames, fits);
    }

    /// <summary>One training run; returns the pixels kept (a mask over the inputs) and the test accuracy.</summary>
    public static SelectionFit Fit(Dataset train, Dataset test, string method, double lambda, ulong seed, int epochs)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        var penalty = method switch
        {
            "none" or "group-inputs" => Penalty.None,
            "l1" => Penalty.PerLayer(Penalty.L1(lambda), Penalty.None),
            _ => throw new ArgumentException($"unknown method '{method}'.", nameof(method)),
        };
        var groups = method == "group-inputs" ? new GroupLasso(lambda) : null;
        var rng = new Rng(seed);
        var model = Mlp.Create(new MlpSpec(train.Features, [Hidden], train.ClassCount, train.Task, ActivationKind.Relu), rng.Fork(),
            Standardizer.Fit(train), train.Classes, train.FeatureNames, train.TargetName);
        const int batch = 32;
        var options = new TrainingOptions { Optimizer = Optim.Sgd(lr: LearningRate), BatchSize = batch, Epochs = epochs };
        var trainer = new Trainer(model, options, penalty.ForNetwork(2), batch);
        var x = new float[train.Rows * train.Features];
        model.PrepareInputs(train.X, x);
        var xb = new float[batch * train.Features];
        var yb = new float[batch];
        var order = Enumerable.Range(0, train.Rows).ToArray();
        var first = model.DenseLayers[0];
        var scratch = new float[first.Outputs];
        var shuffle = rng.Fork();
        var dropout = rng.Fork();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            shuffle.Shuffle(order.AsSpan());
            for (int start = 0; start < train.Rows; start += batch)
            {
                int rows = Math.Min(batch, train.Rows - start);
                for (int r = 0; r < rows; r++)
                {
                    int i = order[start + r];
                    x.AsSpan(i * train.Features, train.Features).CopyTo(xb.AsSpan(r * train.Features));
                    yb[r] = (float)train.Y[i];
                }
                trainer.Step(xb, yb, rows, dropout, out _);
                groups?.ProxColumns(first.Weight, first.Outputs, first.Inputs, (float)LearningRate, scratch);
            }
        }
        var sparsity = SparsityReport.Of(model);
        var cut = sparsity.CutFeatures.ToHashSet(StringComparer.Ordinal);
        bool[] kept = [.. train.FeatureNames.Select(n => !cut.Contains(n))];
        return new SelectionFit(method, lambda, seed, kept, new MlpModel(model).Score(test), sparsity.ZeroFraction);
    }
}

/// <summary>One run: method, λ, seed, which inputs are kept, test accuracy and the fraction of all weights that are exactly zero.</summary>
public sealed record SelectionFit(string Method, double Lambda, ulong Seed, IReadOnlyList<bool> Kept, double TestAccuracy, double ZeroFraction)
{
    /// <summary>Inputs kept.</summary>
    public int PixelsKept => Kept.Count(k => k);
}

/// <summary>Everything <see cref="FeatureSelection.Run"/> measured.</summary>
public sealed record FeatureSelectionResult(IReadOnlyList<string> Pixels, IReadOnlyList<SelectionFit> Fits)
{
    /// <summary>For <paramref name="method"/> at <paramref name="lambda"/>: the fraction of seeds keeping each input.</summary>
    public double[] KeptFraction(string method, double lambda)
    {
        var runs = Fits.Where(f => f.Method == method && f.Lambda == lambda).ToArray();
        var fraction = new double[Pixels.Count];
        foreach (var f in runs)
            for (int j = 0; j < fraction.Length; j++)
                if (f.Kept[j]) fraction[j] += 1.0 / runs.Length;
        return fraction;
    }
}
