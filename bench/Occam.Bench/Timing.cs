using System.Diagnostics;

namespace Occam.Bench;

/// <summary>
/// The timing loop every quick bench uses: warm up (JIT tiers, caches), then time windows of a few calls each and keep
/// the best (smallest) seconds per call — the window least disturbed by the rest of the machine. Raw
/// <see cref="Stopwatch"/> ticks throughout: a <see cref="TimeSpan"/>'s 100 ns ticks would quantize a 20 µs window by
/// 0.5 % (and a window under 100 ns to zero).
/// </summary>
internal static class Timing
{
    /// <summary>
    /// Calls <paramref name="call"/> until it has run at least <paramref name="minCalls"/> times and for at least
    /// <paramref name="minSeconds"/>; returns the mean seconds per call (what sizes the windows).
    /// </summary>
    public static double WarmUp(Action call, int minCalls, double minSeconds)
    {
        long start = Stopwatch.GetTimestamp();
        int calls = 0;
        while (calls < minCalls || Elapsed(start) < minSeconds)
        {
            call();
            calls++;
        }
        return Elapsed(start) / calls;
    }

    /// <summary>
    /// The best seconds per call over windows of about <paramref name="window"/> seconds (each
    /// <c>max(1, window / perCall)</c> calls back to back), timed for <paramref name="seconds"/> and at least
    /// <paramref name="minWindows"/> windows.
    /// </summary>
    public static double BestOfWindows(Action call, double perCall, double window, double seconds, int minWindows)
    {
        int inner = Math.Max(1, (int)(window / perCall));
        double best = double.PositiveInfinity;
        long start = Stopwatch.GetTimestamp();
        for (int w = 0; w < minWindows || Elapsed(start) < seconds; w++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < inner; i++) call();
            best = Math.Min(best, (Stopwatch.GetTimestamp() - t0) / (double)Stopwatch.Frequency / inner);
        }
        return best;
    }

    /// <summary>Seconds since the timestamp <paramref name="start"/>.</summary>
    public static double Elapsed(long start) => (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
}
