using Occam.Numerics.Random;

namespace Occam.Numerics.Tests.Gemm;

/// <summary>
/// The 8×16 half tiles of a last column panel with exactly 16 columns (<see cref="GemmDriver.HalfTiles"/>) and the column
/// pieces that count such a panel as half (<see cref="GemmDriver.PanelPiece(int, int, int, int)"/>). The tests switch the
/// setting, so they run alone (a product reads it once, into its job, but other tests may assert on the default).
/// </summary>
[Collection(nameof(GemmHalfTilesTests))]
public class GemmHalfTilesTests
{
    /// <summary>
    /// The 8×16 half tile (<see cref="GemmDriver.HalfTiles"/>: a last column panel of exactly 16 columns on the 8×32 kernel)
    /// gives the bits of the whole tile through the edge store, and of the scalar direct loop: every transpose, α and β
    /// (0 and not), one and two depth blocks, row counts with and without an edge tile, 1 to 3 threads.
    /// </summary>
    [Theory]
    [MemberData(nameof(GemmTests.Transposes), MemberType = typeof(GemmTests))]
    public void HalfTilesGiveTheBitsOfTheWholeTile(bool ta, bool tb)
    {
        var rng = new Rng(816UL);
        (int M, int N, int K)[] shapes = [(8, 16, 1), (8, 48, 40), (17, 784, 256), (64, 80, 300), (13, 16, 5)];
        bool saved = GemmDriver.HalfTiles;
        try
        {
            foreach (var (m, n, k) in shapes)
                foreach (var (alpha, beta) in new[] { (1f, 0f), (0.75f, 0.5f) })
                {
                    var problem = GemmTests.Problem.Create(rng, ta, tb, m, n, k, alpha, beta);
                    float[] expected = problem.Run(new GemmOptions(GemmKernel.Scalar, 1, GemmPath.Direct));
                    for (int threads = 1; threads <= 3; threads++)
                        foreach (bool half in new[] { false, true })
                            foreach (var split in new[] { GemmSplit.Auto, GemmSplit.Shared, GemmSplit.ColumnsInItems })
                            {
                                GemmDriver.HalfTiles = half;
                                float[] c = problem.Run(new GemmOptions(GemmKernel.V512, threads, GemmPath.Packed, split));
                                Assert.True(expected.AsSpan().SequenceEqual(c), $"half tiles {half}, {split}, {threads} threads differ from direct: {problem}");
                            }
                }
        }
        finally
        {
            GemmDriver.HalfTiles = saved;
        }
    }

    /// <summary>
    /// <see cref="GemmDriver.PanelPiece"/> cuts a column block's panels into contiguous pieces that cover them once, as
    /// <see cref="GemmDriver.Partition"/> does; with a last panel of exactly 16 columns on the 8×32 kernel (half a panel's
    /// work) the busiest piece never gets more than with the plain partition, and two pieces differ by at most half a panel.
    /// </summary>
    [Fact]
    public void PanelPiecesCoverThePanelsAndBalanceAHalfLastPanel()
    {
        bool saved = GemmDriver.HalfTiles;
        try
        {
            GemmDriver.HalfTiles = true;
            foreach (int nr in new[] { 16, 32 })
                for (int columns = 1; columns <= 40 * 32; columns += columns < 200 ? 1 : 37)
                {
                    int panels = (columns + nr - 1) / nr;
                    bool half = nr == 32 && panels > 1 && columns % 32 == 16;
                    for (int pieces = 1; pieces <= Math.Min(panels, 5); pieces++)
                    {
                        int next = 0, least = int.MaxValue, most = 0, plainMost = 0;
                        int Work(int start, int end) => 2 * (end - start) - (half && end == panels && end > start ? 1 : 0);
                        for (int piece = 0; piece < pieces; piece++)
                        {
                            var (start, end) = GemmDriver.PanelPiece(columns, nr, pieces, piece);
                            Assert.True(start == next && end >= start, $"columns {columns}, nr {nr}, {pieces} pieces: piece {piece} is [{start}, {end}), expected to start at {next}");
                            next = end;
                            least = Math.Min(least, Work(start, end));
                            most = Math.Max(most, Work(start, end));
                            var plain = GemmDriver.Partition(panels, pieces, piece);
                            plainMost = Math.Max(plainMost, Work(plain.Start, plain.End));
                            if (!half) Assert.Equal(plain, (start, end));
                        }
                        Assert.Equal(panels, next);
                        if (!half) continue;
                        // Never more work on the busiest piece than the plain partition gives it; at two pieces, within half a panel.
                        Assert.True(most <= plainMost, $"columns {columns}, {pieces} pieces: the busiest piece has {most} half panels, the plain partition's {plainMost}");
                        if (pieces == 2) Assert.True(most - least <= 1, $"columns {columns}, 2 pieces: half panels of work from {least} to {most}");
                    }
                }
            Assert.Equal((0, 12), GemmDriver.PanelPiece(784, 32, 2, 0));
            Assert.Equal((12, 25), GemmDriver.PanelPiece(784, 32, 2, 1));
        }
        finally
        {
            GemmDriver.HalfTiles = saved;
        }
    }

}

[CollectionDefinition(nameof(GemmHalfTilesTests), DisableParallelization = true)]
public sealed class GemmHalfTilesCollection;
