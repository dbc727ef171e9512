using System.Numerics.Tensors;
using Occam.Nn;
using Occam.Numerics.Prox;
using Occam.Optimizers;

namespace Occam.Regularization;

/// <summary>
/// Group lasso over the hidden units of a dense layer: each group is the row of incoming weights of one unit
/// (row j of W, <c>[out][in]</c>), of size |g| = inputs. <c>R(W) = λ·Σ_g √|g|·‖w_g‖₂</c>.
/// Its prox is block soft-thresholding with threshold <c>step·λ·√|g|</c>: a group that reaches zero is a dead
/// unit (it outputs a constant) and can be removed from the network. Only used in prox mode; the gradient
/// <see cref="AddGradient"/> is provided for completeness and gradient checks (undefined at 0, taken as 0).
/// Reference: Yuan &amp; Lin, JRSS-B 2006; Scardapane et al., "Group sparse regularization for deep neural
/// networks", Neurocomputing 2017.
/// </summary>
public sealed record GroupLasso
{
    public GroupLasso(double lambda)
    {
        Numerics.Preconditions.CheckNonNegative(lambda);
        Lambda = lambda;
    }

    /// <summary>λ.</summary>
    public double Lambda { get; }

    /// <summary><c>λ·Σ_g √|g|·‖w_g‖₂</c> over the <paramref name="groups"/> rows of length <paramref name="groupSize"/>.</summary>
    public double Value(ReadOnlySpan<float> w, int groups, int groupSize)
    {
        double sum = 0;
        for (int g = 0; g < groups; g++) sum += TensorPrimitives.Norm(w.Slice(g * groupSize, groupSize));
        return Lambda * Math.Sqrt(groupSize) * sum;
    }

    /// <summary><c>∂R/∂w_g = λ·√|g|·w_g/‖w_g‖₂</c> for non-zero groups, 0 for zero groups.</summary>
    public void AddGradient(ReadOnlySpan<float> w, Span<float> gradient, int groups, int groupSize)
    {
        float scale = (float)(Lambda * Math.Sqrt(groupSize));
        for (int g = 0; g < groups; g++)
        {
            var wg = w.Slice(g * groupSize, groupSize);
            float norm = TensorPrimitives.Norm(wg);
            if (norm > 0f)
            {
                var gg = gradient.Slice(g * groupSize, groupSize);
                TensorPrimitives.MultiplyAdd(wg, scale / norm, gg, gg);
            }
        }
    }

    /// <summary>
    /// Block soft-thresholding of each group with threshold <c>steps[g]·λ·√|g|</c>; returns the number of groups
    /// that are exactly zero afterwards.
    /// </summary>
    public int Prox(Span<float> w, int groups, int groupSize, ReadOnlySpan<float> steps)
    {
        float scale = (float)(Lambda * Math.Sqrt(groupSize));
        int zero = 0;
        for (int g = 0; g < groups; g++)
            if (BlockSoftThreshold.Apply(w.Slice(g * groupSize, groupSize), steps[g] * scale)) zero++;
        return zero;
    }

    /// <summary>
    /// Group lasso on the <em>inputs</em> of a dense layer (feature selection): group j is column j of W <c>[rows][columns]</c>,
    /// the outgoing weights of input j, of size |g| = rows. <c>R(W) = λ·Σ_j √rows·‖W[:, j]‖₂</c>.
    /// </summary>
    public double ValueColumns(ReadOnlySpan<float> w, int rows, int columns, Span<float> scratch)
    {
        double sum = 0;
        var column = scratch[..rows];
        for (int j = 0; j < columns; j++)
        {
            Column(w, rows, columns, j, column);
            sum += TensorPrimitives.Norm((ReadOnlySpan<float>)column);
        }
        return Lambda * Math.Sqrt(rows) * sum;
    }

    /// <summary>
    /// The prox of <see cref="ValueColumns"/> after a gradient step of size <paramref name="step"/> (exact for SGD, whose
    /// step is the same for every coordinate): each column is block soft-thresholded with threshold <c>step·λ·√rows</c>
    /// through <see cref="BlockSoftThreshold"/>, so an input whose column reaches zero is cut off from the network.
    /// <paramref name="scratch"/> holds one column (at least <paramref name="rows"/> values). Returns the number of zero columns.
    /// </summary>
    public int ProxColumns(Span<float> w, int rows, int columns, float step, Span<float> scratch)
    {
        Numerics.Preconditions.CheckLength(w.Length, rows * columns);
        float threshold = (float)(step * Lambda * Math.Sqrt(rows));
        var column = scratch[..rows];
        int zero = 0;
        for (int j = 0; j < columns; j++)
        {
            Column(w, rows, columns, j, column);
            if (BlockSoftThreshold.Apply(column, threshold)) zero++;
            for (int i = 0; i < rows; i++) w[i * columns + j] = column[i];
        }
        return zero;
    }

    private static void Column(ReadOnlySpan<float> w, int rows, int columns, int j, Span<float> column)
    {
        for (int i = 0; i < rows; i++) column[i] = w[i * columns + j];
    }

    /// <summary>
    /// The prox after <paramref name="optimizer"/>'s step of a weight parameter <c>[out][in]</c>: each row (one unit's
    /// incoming weights) is block soft-thresholded with the optimizer's <see cref="Optimizer.GroupStepSize"/> for that
    /// row. <paramref name="scratch"/> holds the step sizes (at least one per row). Returns the number of zero rows.
    /// </summary>
    public int Prox(Parameter weight, Optimizer optimizer, Span<float> scratch)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (weight is not { Kind: ParameterKind.Weight, Layer: { } layer })
            throw new ArgumentException($"group lasso applies to the weight matrix of a dense layer, not to {weight.Name}.", nameof(weight));
        int rows = layer.Outputs, size = layer.Inputs;
        var steps = scratch[..rows];
        optimizer.GroupStepSizes(weight, size, steps);
        return Prox(weight.Value, rows, size, steps);
    }
}
