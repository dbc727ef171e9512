using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Occam.Numerics.Conversion;

namespace Occam.Numerics;

/// <summary>
/// The values of an operand's lines, for the packing routines that read whole lines (<see cref="GemmPacking.PackTransposed{TLines}"/>,
/// <see cref="GemmPackingRows"/>): value p of line j. A struct type argument, so each kind of line gets its own compiled
/// copy of the packing loop, with its loads inlined.
/// </summary>
internal unsafe interface IGemmLines<TSelf> where TSelf : struct, IGemmLines<TSelf>
{
    /// <summary>Values p … p + 7 of line <paramref name="j"/> (the packing routines that call it need AVX).</summary>
    Vector256<float> Load8(int j, int p);

    /// <summary>Value p of line <paramref name="j"/>.</summary>
    float Load(int j, int p);

    /// <summary>The same lines from line <paramref name="first"/> on: line j of the result is line first + j.</summary>
    TSelf Skip(int first);
}

/// <summary>Lines at a fixed stride: value p of line j is <c>s[j·stride + p]</c>.</summary>
internal readonly unsafe struct StridedLines(float* s, nint stride) : IGemmLines<StridedLines>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Load8(int j, int p) => Avx.LoadVector256(s + j * stride + p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Load(int j, int p) => s[j * stride + p];

    public StridedLines Skip(int first) => new(s + first * stride, stride);
}

/// <summary>Rows through a row table: value p of line j is <c>a[rows[j]·ld + p]</c> (<see cref="Gemm.MultiplyRows"/>).</summary>
internal readonly unsafe struct IndexedLines(float* a, int* rows, nint ld) : IGemmLines<IndexedLines>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Load8(int j, int p) => Avx.LoadVector256(a + rows[j] * ld + p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Load(int j, int p) => a[rows[j] * ld + p];

    public IndexedLines Skip(int first) => new(a, rows + first, ld);
}

/// <summary>
/// Rows of unsigned bytes through a row table, standardized as they are read (<see cref="ByteAffine"/>): value p of line j
/// is <c>(float)((a[rows[j]·ld + p] − shift[p])·factor[p])</c> (<paramref name="a"/>, <paramref name="shift"/> and
/// <paramref name="factor"/> point at the block's first column). With the factors of <see cref="ByteAffine.TryCreate"/>,
/// the floats <see cref="StandardizeToSingle"/> writes into the float32 matrix, read without that matrix
/// (<see cref="Gemm.MultiplyRows"/> with <see cref="StandardizedBytes"/>).
/// </summary>
internal readonly unsafe struct IndexedByteLines(byte* a, int* rows, nint ld, double* shift, double* factor) : IGemmLines<IndexedByteLines>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Load8(int j, int p) => ByteAffine.Convert8(a + rows[j] * ld + p, shift + p, factor + p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Load(int j, int p) => ByteAffine.Convert1(a + rows[j] * ld + p, shift + p, factor + p);

    public IndexedByteLines Skip(int first) => new(a, rows + first, ld, shift, factor);
}

/// <summary>
/// A row-major matrix of unsigned bytes read as float32 through <see cref="ByteAffine"/>: element (r, j) is
/// <c>(float)((Values[r·Columns + j] − Shift[j])·Factor[j])</c>. The operand a row table reads in
/// <see cref="Gemm.MultiplyRows"/> when the training rows stay bytes (no float32 matrix is built).
/// </summary>
internal readonly ref struct StandardizedBytes
{
    public StandardizedBytes(ReadOnlySpan<byte> values, int columns, ReadOnlySpan<double> shift, ReadOnlySpan<double> factor)
    {
        if (columns < 1 || values.Length % columns != 0)
            throw new ArgumentException($"{values.Length} bytes are not whole rows of {columns} columns.", nameof(values));
        if (shift.Length != columns || factor.Length != columns)
            throw new ArgumentException($"shift and factor need {columns} entries (got {shift.Length} and {factor.Length}).", nameof(shift));
        Values = values;
        Columns = columns;
        Shift = shift;
        Factor = factor;
    }

    public ReadOnlySpan<byte> Values { get; }
    public int Columns { get; }
    public ReadOnlySpan<double> Shift { get; }
    public ReadOnlySpan<double> Factor { get; }

    /// <summary>No byte operand (the default value).</summary>
    public bool IsEmpty => Columns == 0;
}
