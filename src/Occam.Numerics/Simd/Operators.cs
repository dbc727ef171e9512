using System.Runtime.Intrinsics;

namespace Occam.Numerics;

// The operator contracts of the shared SIMD driver (Simd.Map / Simd.Sum / Simd.Count). An operator is a struct: stateless
// ones are used as default(TOp), ones with a parameter (a threshold, a scale) carry it as a field. Each Invoke overload
// must compute, lane by lane, exactly what the scalar Invoke computes for one element (same operations in the same
// order), so that every width of the driver gives the same bits. Mark the overloads [MethodImpl(AggressiveInlining)].

/// <summary>An element-wise function of one value: <c>destination[i] = f(x[i])</c>.</summary>
internal interface IUnaryOperator<T> where T : unmanaged
{
    T Invoke(T x);
    Vector256<T> Invoke(Vector256<T> x);
    Vector512<T> Invoke(Vector512<T> x);
}

/// <summary>An element-wise function of two values: <c>destination[i] = f(x[i], y[i])</c>.</summary>
internal interface IBinaryOperator<T> where T : unmanaged
{
    T Invoke(T x, T y);
    Vector256<T> Invoke(Vector256<T> x, Vector256<T> y);
    Vector512<T> Invoke(Vector512<T> x, Vector512<T> y);
}

/// <summary>An element-wise function of three values: <c>destination[i] = f(x[i], y[i], z[i])</c>.</summary>
internal interface ITernaryOperator<T> where T : unmanaged
{
    T Invoke(T x, T y, T z);
    Vector256<T> Invoke(Vector256<T> x, Vector256<T> y, Vector256<T> z);
    Vector512<T> Invoke(Vector512<T> x, Vector512<T> y, Vector512<T> z);
}

/// <summary>
/// A test of one value: <c>Invoke(x)</c> is true or false; the vector overloads return a mask (all bits set in a lane
/// where the test holds, zero elsewhere), as <c>Vector512.Equals</c> and its kind do.
/// </summary>
internal interface IPredicate<T> where T : unmanaged
{
    bool Invoke(T x);
    Vector256<T> Invoke(Vector256<T> x);
    Vector512<T> Invoke(Vector512<T> x);
}

/// <summary>
/// The steps of an index walk (<c>Simd.Walk</c>): element i (<see cref="Step"/>), or the <c>Vector256&lt;T&gt;.Count</c>
/// (<see cref="Step256"/>) or <c>Vector512&lt;T&gt;.Count</c> (<see cref="Step512"/>) elements from i, each lane computing
/// exactly the operations of <see cref="Step"/> for its element. The operator holds its spans and accumulators itself.
/// </summary>
internal interface IIndexSteps<T> where T : unmanaged
{
    void Step(int i);
    void Step256(int i);
    void Step512(int i);
}
