namespace Occam.Numerics.Tests.Gemm;

public class PinnedLinesTests
{
    [Fact]
    public unsafe void EveryBufferStartsOnALineAndHoldsItsFloats()
    {
        for (int floats = 0; floats <= 70; floats++)
            foreach (int offset in new[] { 0, 4 })
            {
                float* start = PinnedLines.Allocate(floats, out float[] array, offset);
                Assert.Equal(0, ((nint)start - offset * sizeof(float)) % 64);
                Assert.Equal((nint)start - offset * sizeof(float), (nint)PinnedLines.Start(array));
                fixed (float* first = array)
                {
                    Assert.True(start >= first);
                    Assert.True(start + floats <= first + array.Length, $"{floats} floats at offset {offset} overrun the array");
                }
            }
    }
}
