using System.Numerics.Tensors;
using Occam.Data;
using Occam.Linear;
using Occam.Nn;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Training;

namespace Occam.Selection;

/// <summary>
/// The warm-started λ path of a network, glmnet-style: λ_max is the smallest λ at which the prox step zeroes every
/// first-layer weight from the initial point (<see cref="LambdaMax"/>); the grid walks down from it (log-spaced to
/// <see cref="NetworkPathOptions.LambdaMinRatio"/>·λ_max); the first fit is a cold fit at λ_max and every later fit
/// starts from the previous λ's weights (<see cref="MlpEstimator.WarmStart"/>: weights and standardizers; the
/// optimizer state starts fresh). Every λ's network is kept, with its train/validation loss, accuracy or R², exact
/// zeros, dead units and inputs kept; λ_min and λ_1se are chosen on the validation rows (mean row loss ± its standard
/// error) or by K-fold cross-validation (mean held-out loss ± SE over folds) with <see cref="OneStandardError"/>.
/// Derivation and conventions: docs/algorithms/network-path.md.
/// <code>
/// var path = NetworkPath.Fit(new MlpClassifier { Hidden = [32], ValidationSplit = 0.2, Epochs = 30, Seed = 1 }, data,
///                            new NetworkPathOptions { Penalty = NetworkPathPenalty.L1, Count = 20 });
/// MlpModel chosen = path.ModelAt(path.Index1se);
/// </code>
/// </summary>
public static class NetworkPath
{
    /// <summary>
    /// Fits the path of <paramref name="estimator"/> (its <see cref="MlpEstimator.Penalty"/> must be none: the path
    /// sets the penalty) on <paramref name="data"/>. Each finished λ is reported to <paramref name="progress"/>.
    /// </summary>
    public static NetworkPathResult Fit(MlpEstimator estimator, Dataset data, NetworkPathOptions? options = null,
        IProgress<NetworkPathPoint>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(data);
        var o = options ?? new NetworkPathOptions();
        o.Validate();
        CheckEstimator(estimator, o);
        estimator.CheckTask(data);
        if (o.Folds == 0 && estimator.ValidationSplit == 0)
            throw OccamException.Usage("the path chooses λ on held-out rows: set the estimator's ValidationSplit (--val-split, e.g. 0.2) or use K-fold cross-validation (Folds, --folds 5).");

        var first = FirstStep(estimator, data, Penalty.None);
        double lambdaMax = LambdaMaxOf(first, estimator, data, o);
        double[] lambdas = o.Lambdas is { } given
            ? [.. given.OrderByDescending(v => v)]
            : ElasticNetRegression.AlphaGrid(lambdaMax, o.Count, o.LambdaMinRatio);
        if (o.Lambdas is null) lambdas[0] = lambdaMax;   // exactly, not 10^log10(λ_max): the first fit is at λ_max itself

        // K-fold: one path per fold on the fold's training rows, scored on its held-out rows.
        double[]? cvMean = null, cvSe = null;
        IReadOnlyList<Fold>? folds = null;
        if (o.Folds >= 2)
        {
            folds = data.Task == TaskKind.Regression
                ? KFold.Split(data.Rows, o.Folds, o.FoldOrder, o.FoldSeed)
                : KFold.Stratified(KFold.ClassIndices(data), o.Folds, o.FoldOrder == FoldOrder.Shuffled, o.FoldSeed);
            var errors = new double[folds.Count][];
            foreach (var fold in folds)
            {
                var test = data.Subset(fold.Test);
                errors[fold.Index] = new double[lambdas.Length];
                Walk(estimator, data.Subset(fold.Train), lambdas, o,
                    (k, model) => errors[fold.Index][k] = ModelEvaluation.Of(model.Network, test).Loss, cancellationToken);
            }
            cvMean = new double[lambdas.Length];
            cvSe = new double[lambdas.Length];
            for (int k = 0; k < lambdas.Length; k++)
                (cvMean[k], cvSe[k]) = OneStandardError.MeanAndSe(errors.Select(e => e[k]).ToArray());
        }

        // The path itself, on every row (less the estimator's validation rows).
        var rows = first.Rows;
        var trainSet = data.Subset(rows.Train);
        var valSet = rows.Validation.Length > 0 ? data.Subset(rows.Validation) : null;
        var points = new NetworkPathPoint[lambdas.Length];
        var models = new MlpModel[lambdas.Length];
        Walk(estimator, data, lambdas, o, (k, model) =>
        {
            var train = ModelEvaluation.Of(model.Network, trainSet);
            var val = valSet is null ? null : ModelEvaluation.Of(model.Network, valSet);
            double? valSe = valSet is null ? null : OneStandardError.MeanAndSe(ModelEvaluation.RowLosses(model.Network, valSet)).Se;
            var sparsity = model.Sparsity;
            var firstLayer = sparsity.Layers[0];
            models[k] = model;
            points[k] = new NetworkPathPoint(lambdas[k], train.Loss, train.Accuracy ?? train.RSquared, val?.Loss, val is null ? null : val.Accuracy ?? val.RSquared,
                cvMean?[k] ?? val!.Loss, cvSe?[k] ?? valSe!.Value,
                sparsity.ZeroWeights, sparsity.TotalWeights, firstLayer.ZeroWeights, firstLayer.Weights,
                sparsity.DeadUnits, sparsity.HiddenUnits, sparsity.InputsKept, sparsity.Inputs, sparsity.ParametersAfterPruning,
                model.Training?.Epochs ?? 0, model.Training?.TrainSeconds ?? 0);
            progress?.Report(points[k]);
        }, cancellationToken);

        var (best, oneSe, _) = OneStandardError.Choose(points.Select(p => p.SelectionLoss).ToArray(), points.Select(p => p.SelectionSe).ToArray());
        return new NetworkPathResult(data.Task, o.Penalty, o.Penalty == NetworkPathPenalty.ElasticNet ? o.L1Ratio : null, lambdaMax,
            o.Folds >= 2 ? o.Folds : 0, points, models, best, oneSe);
    }

    /// <summary>
    /// λ_max of <paramref name="penalty"/> for this estimator and data: the smallest λ at which the first training step
    /// (the same rows, batch, dropout mask and optimizer step as <c>Fit</c> takes), followed by the penalty's prox,
    /// leaves every first-layer weight exactly 0. With w′ the weights after the optimizer's update and ηᵢ its
    /// per-coordinate step sizes (lr for SGD, lr/(√v̂ᵢ + ε) for Adam), the L1 prox soft(w′ᵢ, ηᵢλ) is 0 iff |w′ᵢ| ≤ ηᵢλ, so
    /// <c>λ_max = maxᵢ |w′ᵢ|/ηᵢ</c>; group lasso zeroes unit g iff ‖w′_g‖₂ ≤ η_g·λ·√|g|, so <c>λ_max = max_g ‖w′_g‖₂/(η_g√|g|)</c>.
    /// Elastic net: the L1 value divided by ρ (glmnet's convention; its L2 part is left out of the step). L2 has no
    /// exact-zero threshold: the L1 value is used, so the l1 and l2 paths of one setting share one grid.
    /// See docs/algorithms/network-path.md.
    /// </summary>
    public static double LambdaMax(MlpEstimator estimator, Dataset data, NetworkPathPenalty penalty = NetworkPathPenalty.L1, double l1Ratio = 0.5)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(data);
        var o = new NetworkPathOptions { Penalty = penalty, L1Ratio = l1Ratio };
        o.Validate();
        CheckEstimator(estimator, o);
        estimator.CheckTask(data);
        return LambdaMaxOf(FirstStep(estimator, data, Penalty.None), estimator, data, o);
    }

    /// <summary>The path's penalty at <paramref name="lambda"/> on the first of <paramref name="denseLayers"/> dense layers (none on the others).</summary>
    public static Penalty PenaltyAt(NetworkPathOptions options, double lambda, int denseLayers)
    {
        ArgumentNullException.ThrowIfNull(options);
        var term = options.Penalty switch
        {
            NetworkPathPenalty.L1 => Penalty.L1(lambda),
            NetworkPathPenalty.GroupLasso => Penalty.GroupLasso(lambda),
            NetworkPathPenalty.L2 => Penalty.L2(lambda),
            NetworkPathPenalty.ElasticNet => Penalty.ElasticNet(lambda, options.L1Ratio),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Penalty, "unknown path penalty"),
        };
        if (denseLayers == 1) return term;
        return Penalty.PerLayer([term, .. Enumerable.Repeat(Penalty.None, denseLayers - 1)], "the path's penalty");
    }

    /// <summary>The network after exactly one training step of <paramref name="estimator"/> with <paramref name="penalty"/>, and the optimizer that took it.</summary>
    internal static FirstStepResult FirstStep(MlpEstimator estimator, Dataset data, Penalty penalty)
    {
        var settings = (estimator with { Penalty = penalty }).ToFitSettings();
        var job = MlpFitter.Prepare(data, settings);
        var trainer = new Trainer(job.Model, settings.Training with { EarlyStoppingPatience = 0 }, job.Regularization, job.Train.Rows) { MaxSteps = 1 };
        trainer.Run(job.Train, null, job.TrainRng);
        return new FirstStepResult(job.Model, trainer.Optimizer, job.Rows);
    }

    private static double LambdaMaxOf(FirstStepResult step, MlpEstimator estimator, Dataset data, NetworkPathOptions o)
    {
        var w = step.Model.Parameters().First(p => p.Kind == ParameterKind.Weight && p.DenseIndex == 0);
        var layer = w.Layer!;
        double candidate = 0;
        if (o.Penalty == NetworkPathPenalty.GroupLasso)
        {
            var steps = new float[layer.Outputs];
            step.Optimizer.GroupStepSizes(w, layer.Inputs, steps);
            double root = Math.Sqrt(layer.Inputs);
            for (int g = 0; g < layer.Outputs; g++)
                candidate = Math.Max(candidate, TensorPrimitives.Norm(w.Value.AsSpan(g * layer.Inputs, layer.Inputs)) / (steps[g] * root));
        }
        else
        {
            var eta = new float[w.Length];
            step.Optimizer.StepSizes(w, eta);
            for (int i = 0; i < w.Length; i++) candidate = Math.Max(candidate, Math.Abs(w.Value[i]) / eta[i]);
        }
        if (!(candidate > 0) || !double.IsFinite(candidate))
            throw new OccamException($"λ_max is {candidate}: the first step leaves no first-layer weight away from 0 (are all inputs constant?), so there is no path to walk; check the data's columns.");
        return o.Penalty switch
        {
            NetworkPathPenalty.L1 or NetworkPathPenalty.GroupLasso => Exact(candidate, estimator, data, o),
            NetworkPathPenalty.ElasticNet => Exact(candidate, estimator, data, o with { Penalty = NetworkPathPenalty.L1 }) / o.L1Ratio,
            _ => Exact(candidate, estimator, data, o with { Penalty = NetworkPathPenalty.L1 }),
        };
    }

    /// <summary>
    /// The closed form evaluated in double can fall a float32 rounding short of the threshold the prox computes; this
    /// checks it with the real first step and raises it by a few parts in 10⁷ until every first-layer weight is 0.
    /// </summary>
    private static double Exact(double lambda, MlpEstimator estimator, Dataset data, NetworkPathOptions o)
    {
        int dense = DenseLayers(estimator);
        for (int attempt = 0; attempt < 24; attempt++)
        {
            var after = FirstStep(estimator, data, PenaltyAt(o, lambda, dense)).Model;
            if (CountZerosOfFirstLayer(after) == after.DenseLayers[0].Weight.Length) return lambda;
            lambda *= 1 + 1e-7 * (1 << attempt);
        }
        throw new InvalidOperationException("λ_max: the first step does not zero the first layer at the closed-form threshold; the prox and the step sizes disagree.");
    }

    internal static int CountZerosOfFirstLayer(Mlp model) => model.DenseLayers[0].Weight.Count(v => v == 0f);

    private static int DenseLayers(MlpEstimator estimator) => estimator.WarmStart?.Network.DenseLayers.Count ?? estimator.Hidden.Count + 1;

    /// <summary>Fits every λ in order on <paramref name="data"/>, each warm-started from the previous fit, and hands each model to <paramref name="each"/>.</summary>
    private static void Walk(MlpEstimator estimator, Dataset data, double[] lambdas, NetworkPathOptions o, Action<int, MlpModel> each, CancellationToken cancellationToken)
    {
        int dense = DenseLayers(estimator);
        var previous = estimator.WarmStart;
        for (int k = 0; k < lambdas.Length; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var model = (estimator with { Penalty = PenaltyAt(o, lambdas[k], dense), WarmStart = previous }).FitChecked(data, cancellationToken);
            each(k, model);
            previous = model;
        }
    }

    private static void CheckEstimator(MlpEstimator estimator, NetworkPathOptions o)
    {
        if (!estimator.Penalty.IsNone)
            throw OccamException.Usage($"the path sets the penalty itself, but the estimator already has one ({estimator.Penalty}); leave its Penalty at none.");
        if (o.Penalty == NetworkPathPenalty.GroupLasso && DenseLayers(estimator) < 2)
            throw OccamException.Usage("the group-lasso path penalizes hidden units, but the network has no hidden layer; give hidden units (--hidden 32) or use --penalty l1.");
    }
}

/// <summary>A network after its first training step, with the optimizer that took it and the rows of the fit.</summary>
internal sealed record FirstStepResult(Mlp Model, Optimizer Optimizer, RowSplit Rows);
