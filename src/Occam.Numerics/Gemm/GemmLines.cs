namespace Occam.Numerics;

/// <summary>
/// Where line j of an operand starts, for the packing routines that read whole lines (<see cref="GemmPacking.PackTransposed{TLines}"/>):
/// a struct type argument, so each kind of addressing gets its own compiled copy of the packing loop.
/// </summary>
internal unsafe interface IGemmLines
{
    /// <summary>The address of line <paramref name="j"/>'s first value.</summary>
    float* At(int j);
}

/// <summary>Lines at a fixed stride: line j starts at <c>s + j·stride</c>.</summary>
internal readonly unsafe struct StridedLines(float* s, nint stride) : IGemmLines
{
    public float* At(int j) => s + j * stride;
}

/// <summary>Lines through a row table: line j starts at <c>a + rows[j]·ld</c> (<see cref="Gemm.MultiplyRows"/>).</summary>
internal readonly unsafe struct IndexedLines(float* a, int* rows, nint ld) : IGemmLines
{
    public float* At(int j) => a + rows[j] * ld;
}
