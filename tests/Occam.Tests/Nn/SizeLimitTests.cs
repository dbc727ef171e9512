using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Random;

namespace Occam.Tests.Nn;

/// <summary>Sizes beyond the array limit or the memory are refused up front with an OccamException, before any allocation.</summary>
public class SizeLimitTests
{
    private static void Usage(Action a, string mention)
    {
        var e = Assert.Throws<OccamException>(a);
        Assert.Equal(OccamErrorKind.Usage, e.Kind);
        Assert.Contains(mention, e.Message);
    }

    [Fact]
    public void WeightMatrixOverTheArrayLimit() =>
        Usage(() => new MlpSpec(2, [100_000, 100_000], 1, TaskKind.Regression).Validate(), "dense layer 2 (100000 inputs × 100000 units)");

    [Fact]
    public void BatchTimesWidthOverTheArrayLimit() =>
        Usage(() => new MlpSpec(2, [100_000_000], 1, TaskKind.Regression).CheckSize(32), "a batch of 32 rows × 100000000 units");

    [Fact]
    public void ParametersOverTheMemory()
    {
        // 46,000 × 46,000 weights per layer fit in one array; 40 such layers need ~340 GB.
        var hidden = Enumerable.Repeat(46_000, 40).ToArray();
        Usage(() => new MlpSpec(46_000, hidden, 1, TaskKind.Regression).Validate(), "of memory");
    }

    [Fact]
    public void WorkspaceChecksBatchTimesWidth()
    {
        var model = Mlp.Create(new MlpSpec(2, [100_000], 1, TaskKind.Regression), new Rng(1));
        Usage(() => _ = new Workspace(model, 30_000), "a batch of 30000 rows × 100000 units");
    }

    [Fact]
    public void SyntheticRowsOverTheArrayLimit() =>
        Usage(() => Synthetic.Xor(2_000_000_000, 0.1, new Rng(1)), "2000000000 rows × 2 features");

    [Fact]
    public void ReasonableSizesPass()
    {
        new MlpSpec(784, [512, 256], 10, TaskKind.Multiclass).CheckSize(256);
        Assert.True(SizeLimits.AvailableBytes > 0);
    }
}
