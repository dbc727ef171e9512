using System.Globalization;

namespace Occam;

/// <summary>
/// Up-front checks of requested sizes against .NET's array limit (<see cref="Array.MaxLength"/> elements, about
/// 2³¹) and the memory available to the process, so a too-large network, batch or dataset is a one-line
/// <see cref="OccamException"/> (<see cref="OccamErrorKind.Usage"/>) before anything is allocated, never an
/// overflow, an out-of-memory crash or an access violation in a kernel.
/// </summary>
internal static class SizeLimits
{
    /// <summary>Checks that <paramref name="rows"/> × <paramref name="columns"/> values fit in one array.</summary>
    /// <param name="rows">First factor of the element count.</param>
    /// <param name="columns">Second factor of the element count.</param>
    /// <param name="what">What is being sized, e.g. "layer 1's weights (100000000 × 784)".</param>
    /// <param name="fix">How to ask for less, e.g. "use fewer hidden units".</param>
    public static void CheckArray(long rows, long columns, string what, string fix)
    {
        long count = rows * columns;
        if (rows < 0 || columns < 0 || (columns != 0 && count / columns != rows) || count > Array.MaxLength)
            throw OccamException.Usage($"{what} would hold {Count(rows, columns)} values, more than the {Array.MaxLength.ToString("N0", CultureInfo.InvariantCulture)} one array can hold; {fix}.");
    }

    /// <summary>
    /// Widest micro-panel of the matrix kernel (Occam.Numerics GEMM, NR ≤ 32 floats): a product whose depth is a
    /// layer's fan-in packs fan-in × 32 floats of its right-hand side, so that must fit in one array too.
    /// </summary>
    public const int GemmPanelWidth = 32;

    /// <summary>Checks that a dense layer with <paramref name="fanIn"/> inputs can be multiplied (see <see cref="GemmPanelWidth"/>).</summary>
    public static void CheckFanIn(long fanIn, int layer) =>
        CheckArray(fanIn, GemmPanelWidth, $"dense layer {layer}'s packed matrix block ({fanIn} inputs × {GemmPanelWidth})", "use fewer hidden units");

    /// <summary>Checks that about <paramref name="bytes"/> bytes fit in the memory available to this process.</summary>
    public static void CheckMemory(double bytes, string what, string fix)
    {
        long available = AvailableBytes;
        if (bytes > available)
            throw OccamException.Usage($"{what} needs about {Gigabytes(bytes)} of memory but this machine has {Gigabytes(available)} available; {fix}.");
    }

    /// <summary>
    /// The memory the process may still use: the machine's (or the container's) limit, and on Linux no more than
    /// the kernel's estimate of memory available for new allocations (MemAvailable in /proc/meminfo).
    /// </summary>
    public static long AvailableBytes
    {
        get
        {
            long total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
            return MemAvailable() is long free ? Math.Min(total, free) : total;
        }
    }

    private static long? MemAvailable()
    {
        const string meminfo = "/proc/meminfo";
        if (!OperatingSystem.IsLinux() || !File.Exists(meminfo)) return null;
        try
        {
            foreach (string line in File.ReadLines(meminfo))
            {
                if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal)) continue;
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long kb) ? kb * 1024 : null;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // fall back to the runtime's figure
        }
        return null;
    }

    private static string Count(long rows, long columns) =>
        ((double)rows * columns).ToString("N0", CultureInfo.InvariantCulture);

    private static string Gigabytes(double bytes) =>
        (bytes / (1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB";
}
