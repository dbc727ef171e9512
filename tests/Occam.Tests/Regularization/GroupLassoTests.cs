using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Prox;
using Occam.Numerics.Random;
using Occam.Optimizers;
using Occam.Regularization;

namespace Occam.Tests.Regularization;

public class GroupLassoTests
{
    [Fact]
    public void ValueHasTheSqrtGroupSizeFactor()
    {
        float[] w =
        [
            1f, 1f, 1f, 1f,   // ‖·‖ = 2
            0f, 3f, 0f, -4f,  // ‖·‖ = 5
            0f, 0f, 0f, 0f,   // ‖·‖ = 0
        ];
        // λ·√|g|·Σ‖w_g‖ = 0.1·√4·7 = 1.4
        Assert.Equal(1.4, new GroupLasso(0.1).Value(w, 3, 4), 1e-7);
        // Same numbers as 6 groups of 2: ‖(1,1)‖ = √2 twice, 3, 4, 0, 0 → 0.1·√2·(2√2 + 7)
        Assert.Equal(0.1 * Math.Sqrt(2) * (2 * Math.Sqrt(2) + 7), new GroupLasso(0.1).Value(w, 6, 2), 1e-6);
    }

    [Fact]
    public void GradientMatchesCentralDifferences()
    {
        // ‖w_g‖ is smooth away from 0 with third derivatives ~1/‖w_g‖²; the groups here have norms ≥ 1, so with h = 3e-3
        // the truncation error is ≤ h²/6·λ√|g| ≈ 1e-5. Value sums float norms: ~2⁻²⁴·R per evaluation, /2h ≈ 2e-5·R
        // for R ≈ 2. Tolerance 1e-4.
        var rng = new Rng(1301UL);
        const int groups = 4, size = 5;
        var penalty = new GroupLasso(0.3);
        var w = TestVectors.Normal(rng, groups * size);
        for (int i = 0; i < size; i++) w[i] += 1f; // keep every norm well above 0
        var g = new float[w.Length];
        penalty.AddGradient(w, g, groups, size);
        for (int i = 0; i < w.Length; i++)
        {
            double fd = TestVectors.CentralDifference(w, i, 3e-3, () => penalty.Value(w, groups, size));
            Assert.True(Math.Abs(g[i] - fd) <= 1e-4, $"i={i}: analytic {g[i]}, fd {fd}");
        }
    }

    [Fact]
    public void GradientOfZeroGroupIsZero()
    {
        float[] w = [0f, 0f, 3f, 4f];
        float[] g = [1f, 1f, 1f, 1f];
        new GroupLasso(1).AddGradient(w, g, 2, 2);
        // √2·w/‖w‖ = √2·(0.6, 0.8) added to the second group only.
        Assert.Equal(1f, g[0]);
        Assert.Equal(1f, g[1]);
        Assert.Equal(1 + Math.Sqrt(2) * 0.6, g[2], 1e-6);
        Assert.Equal(1 + Math.Sqrt(2) * 0.8, g[3], 1e-6);
    }

    [Fact]
    public void ProxZeroesGroupsWhoseNormIsAtMostStepTimesLambdaSqrtSize()
    {
        // Threshold step·λ·√|g| = 1·0.5·√4 = 1 for each group of 4.
        float[] w =
        [
            0.5f, 0.5f, 0.5f, 0.5f,  // ‖·‖ = 1: zeroed (≤ threshold)
            1f, 1f, 1f, 1f,          // ‖·‖ = 2: shrunk by ½
            0.1f, 0f, 0f, 0f,        // zeroed
        ];
        int zeroed = new GroupLasso(0.5).Prox(w, 3, 4, [1f, 1f, 1f]);
        Assert.Equal(2, zeroed);
        TestVectors.AssertBitwise([0f, 0f, 0f, 0f, 0.5f, 0.5f, 0.5f, 0.5f, 0f, 0f, 0f, 0f], w, "group prox");
        // Per-group steps: a larger step for the second group only.
        float[] v = [1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f];
        Assert.Equal(1, new GroupLasso(0.5).Prox(v, 2, 4, [0.5f, 2f]));
        TestVectors.AssertBitwise([0.75f, 0.75f, 0.75f, 0.75f, 0f, 0f, 0f, 0f], v, "per-group steps");
    }

    [Fact]
    public void ProxEqualsBlockSoftThresholdPerGroup()
    {
        var rng = new Rng(1302UL);
        var w = TestVectors.Normal(rng, 6 * 7, scale: 0.3);
        var expected = (float[])w.Clone();
        float[] steps = [0.1f, 0.5f, 1f, 2f, 0.25f, 0f];
        var lasso = new GroupLasso(0.4);
        int zeros = 0;
        for (int gi = 0; gi < 6; gi++)
            if (BlockSoftThreshold.Apply(expected.AsSpan(gi * 7, 7), steps[gi] * (float)(0.4 * Math.Sqrt(7)))) zeros++;
        Assert.Equal(zeros, lasso.Prox(w, 6, 7, steps));
        TestVectors.AssertBitwise(expected, w, "group lasso prox");
        Assert.True(zeros > 0 && zeros < 6, $"the data should zero some groups but not all ({zeros})");
    }

    [Fact]
    public void ProxWithAnOptimizerUsesItsGroupStepPerRow()
    {
        // Rows of a hidden layer's weight, stepped by Adam: the prox with the optimizer equals the explicit form with
        // η_j = GroupStepSize of row j. A bias (or a free-standing tensor) has no rows: refused.
        var model = Mlp.Create(new MlpSpec(5, [6], 2, TaskKind.Multiclass), new Rng(3101UL));
        var weight = model.Parameters()[0];
        var adam = new AdamW(0.05);
        adam.Initialize(model.Parameters());
        adam.BeginStep();
        TestVectors.Normal(new Rng(3102UL), weight.Length).CopyTo(weight.Gradient, 0);
        adam.Step(weight);
        var expected = (float[])weight.Value.Clone();
        var steps = new float[6];
        for (int j = 0; j < 6; j++) steps[j] = adam.GroupStepSize(weight, j * 5, 5);
        var penalty = new GroupLasso(10);
        int zeroExpected = penalty.Prox(expected, 6, 5, steps);
        int zero = penalty.Prox(weight, adam, new float[6]);
        TestVectors.AssertBitwise(expected, weight.Value, "group prox with the optimizer's steps");
        Assert.Equal(zeroExpected, zero);
        Assert.InRange(zero, 1, 5);   // λ large enough to kill some rows, not all
        Assert.Throws<ArgumentException>(() => { penalty.Prox(model.Parameters()[1], adam, new float[6]); });
    }

    [Fact]
    public void ColumnProxShrinksEachInputColumnByItsNormAndZeroesSmallOnes()
    {
        // W is 2 rows × 3 columns: columns (3, 4) norm 5, (0.1, 0) norm 0.1, (0, -2) norm 2.
        float[] w = [3f, 0.1f, 0f, 4f, 0f, -2f];
        var penalty = new GroupLasso(0.5);
        var scratch = new float[2];
        // R = λ·√rows·Σ‖col‖ = 0.5·√2·7.1
        Assert.Equal(0.5 * Math.Sqrt(2) * 7.1, penalty.ValueColumns(w, 2, 3, scratch), 1e-5);
        // threshold t = step·λ·√2 = 1·0.5·√2 ≈ 0.7071: column 0 scaled by 1 − t/5, column 1 zeroed, column 2 by 1 − t/2.
        int zero = penalty.ProxColumns(w, 2, 3, 1f, scratch);
        double t = 0.5 * Math.Sqrt(2);
        Assert.Equal(1, zero);
        Assert.Equal(3 * (1 - t / 5), w[0], 1e-6);
        Assert.Equal(4 * (1 - t / 5), w[3], 1e-6);
        Assert.Equal(0f, w[1]);
        Assert.Equal(0f, w[4]);
        Assert.Equal(0f, w[2]);
        Assert.Equal(-2 * (1 - t / 2), w[5], 1e-6);
    }

    [Fact]
    public void ColumnProxIsTheRowProxOfTheTranspose()
    {
        var rng = new Rng(77UL);
        const int rows = 5, columns = 7;
        var w = TestVectors.Normal(rng, rows * columns);
        var transposed = new float[w.Length];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) transposed[j * rows + i] = w[i * columns + j];
        var penalty = new GroupLasso(1.2);
        var steps = Enumerable.Repeat(0.8f, columns).ToArray();
        int zeroRows = penalty.Prox(transposed, columns, rows, steps);
        int zeroColumns = penalty.ProxColumns(w, rows, columns, 0.8f, new float[rows]);
        Assert.Equal(zeroRows, zeroColumns);
        Assert.InRange(zeroColumns, 1, columns - 1);   // λ chosen so some columns die and some survive
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) Assert.Equal(transposed[j * rows + i], w[i * columns + j]);
    }
}
