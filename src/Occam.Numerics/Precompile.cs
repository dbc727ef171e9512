using System.Reflection;
using System.Runtime.CompilerServices;

namespace Occam.Numerics;

/// <summary>
/// Compiles methods ahead of their first call, without running them: <see cref="RuntimeHelpers.PrepareMethod(RuntimeMethodHandle)"/>
/// gives a method the code its first call would get (its ReadyToRun code where the runtime accepts it, else a
/// just-in-time compilation — fully optimized for <c>AggressiveOptimization</c> methods), so that a later call, on any
/// thread, finds it compiled; a thread that calls a method while another compiles it waits for that compilation.
/// Changes no result: the code is the code the first call would have compiled.
/// </summary>
/// <remarks>
/// Why: a ReadyToRun image cannot hold code that tests <c>Vector512</c> (the runtime decides at start-up whether
/// Vector512 is accelerated), so on AVX-512 machines the kernels are compiled at their first call, on the thread that
/// needs them (docs/algorithms/startup.md, "Compiling ahead").
/// </remarks>
internal static class Precompile
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>
    /// Compiles every static method named <paramref name="name"/> declared by <paramref name="type"/> that has
    /// <paramref name="typeArguments"/>.Length generic parameters (instantiated with <paramref name="typeArguments"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">No such method (a kernel was renamed: the caller's list is stale).</exception>
    public static void Method(Type type, string name, params Type[] typeArguments)
    {
        bool found = false;
        foreach (var method in type.GetMethods(Declared))
        {
            if (method.Name != name || method.GetGenericArguments().Length != typeArguments.Length) continue;
            if (typeArguments.Length == 0)
            {
                RuntimeHelpers.PrepareMethod(method.MethodHandle);
            }
            else
            {
                var handles = new RuntimeTypeHandle[typeArguments.Length];
                for (int i = 0; i < handles.Length; i++) handles[i] = typeArguments[i].TypeHandle;
                RuntimeHelpers.PrepareMethod(method.MethodHandle, handles);
            }
            found = true;
        }
        if (!found)
            throw new InvalidOperationException($"{type.FullName} declares no static method '{name}' with {typeArguments.Length} generic parameters.");
    }
}
