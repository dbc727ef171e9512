using System.Runtime.Intrinsics;

namespace Occam.Numerics;

/// <summary>
/// Which register-blocked micro-kernel <see cref="Gemm"/> uses. <see cref="Auto"/> picks the widest
/// hardware-accelerated vector width at run time; the others force a path (tests cover every one,
/// and a forced path that the hardware lacks still runs, through .NET's software vector fallback).
/// </summary>
internal enum GemmKernel
{
    Auto = 0,
    Scalar,
    V128,
    V256,
    V512,
}

/// <summary>
/// A micro-kernel and its blocking parameters. The kernel computes one MR×NR tile
/// <c>C[0..MR, 0..NR] = alpha·Ã·B̃ + beta·C</c> from a packed MR×kc panel of A (column by column,
/// MR floats per k step) and a packed kc×NR panel of B (row by row, NR floats per k step);
/// <c>beta == 0</c> overwrites C without reading it.
/// </summary>
internal readonly unsafe struct GemmKernelInfo
{
    public readonly GemmKernel Kind;
    /// <summary>Rows of the register tile.</summary>
    public readonly int MR;
    /// <summary>Columns of the register tile.</summary>
    public readonly int NR;
    /// <summary>Rows of the packed A block (kept in L2); a multiple of MR.</summary>
    public readonly int MC;
    /// <summary>Depth of a packed block (A and B micro-panels together fit L1).</summary>
    public readonly int KC;
    /// <summary>Columns of the packed B block (kept in L3); a multiple of NR.</summary>
    public readonly int NC;
    /// <summary>(kc, packedA, packedB, c, ldc, alpha, beta).</summary>
    public readonly delegate*<int, float*, float*, float*, nint, float, float, void> Tile;

    public GemmKernelInfo(GemmKernel kind, int mr, int nr, int mc, int kc, int nc,
        delegate*<int, float*, float*, float*, nint, float, float, void> tile)
    {
        Kind = kind; MR = mr; NR = nr; MC = mc; KC = kc; NC = nc; Tile = tile;
    }

    /// <summary>
    /// The depth of every packed block, the same for all kernels (and for the small direct path),
    /// so that each element of C is the same chain of fused multiply-adds whichever path, kernel or
    /// thread count computes it: results are bit-identical across all of them.
    /// </summary>
    public const int BlockDepth = 256;

    /// <summary>
    /// The depth step for a product of depth <paramref name="k"/>: k split into ⌈k/256⌉ blocks as
    /// equal as possible (784 → 4 × 196, not 3 × 256 + 16, so no block is too thin to pay for its
    /// packing and its pass over C). Every path uses this same split.
    /// </summary>
    public static int DepthStep(int k) => BlockStep(k, BlockDepth, 1);

    /// <summary>
    /// The step that splits <paramref name="total"/> into ⌈total/max⌉ nearly equal blocks, rounded
    /// up to a multiple of <paramref name="align"/> (and never above <paramref name="max"/> when
    /// max is itself a multiple of align).
    /// </summary>
    public static int BlockStep(int total, int max, int align)
    {
        if (total <= max) return Math.Max(total, 1);
        int blocks = (total + max - 1) / max;
        int step = (total + blocks - 1) / blocks;
        return (step + align - 1) / align * align;
    }

    /// <summary>The kernel for <paramref name="kind"/>, resolving <see cref="GemmKernel.Auto"/>.</summary>
    public static GemmKernelInfo For(GemmKernel kind) => kind switch
    {
        GemmKernel.Auto => For(AutoKind),
        GemmKernel.Scalar => new(kind, 4, 4, 128, BlockDepth, 4096, &GemmTileScalar.Tile4x4),
        GemmKernel.V128 => new(kind, 6, 8, 120, BlockDepth, 4096, &GemmTileV128.Tile6x8),
        // Zen 3 (this machine): L1d 32 KiB, L2 512 KiB per core. A B micro-panel is kc·16·4 = 16 KiB
        // at kc = 256 and an A micro-panel 6 KiB: both stay in L1. The A block is mc·kc·4 = 144 KiB,
        // well inside L2 next to the streaming B̃ panel.
        GemmKernel.V256 => new(kind, 6, 16, 144, BlockDepth, 4080, &GemmTileV256.Tile6x16),
        // AVX-512 parts (Zen 4, Sapphire Rapids): 32 zmm registers hold the 8×32 tile; a B
        // micro-panel of kc·32·4 = 32 KiB at kc = 256 fills a 32-48 KiB L1 (A streams from L2).
        GemmKernel.V512 => new(kind, 8, 32, 128, BlockDepth, 4096, &GemmTileV512.Tile8x32),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown GEMM kernel."),
    };

    /// <summary>The widest hardware-accelerated kernel on this machine.</summary>
    public static GemmKernel AutoKind { get; } =
        Vector512.IsHardwareAccelerated ? GemmKernel.V512
        : Vector256.IsHardwareAccelerated ? GemmKernel.V256
        : Vector128.IsHardwareAccelerated ? GemmKernel.V128
        : GemmKernel.Scalar;
}
