using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Occam.Numerics;

/// <summary>
/// A sense-reversing spin barrier for the threads of one GEMM job. Waiters spin, then yield
/// (never sleep for a millisecond), since the other side is at most a packing step behind.
/// </summary>
internal sealed class GemmBarrier
{
    private int _remaining;
    private int _threads;
    private volatile int _phase;

    public void Reset(int threads)
    {
        _threads = threads;
        _remaining = threads;
    }

    public void SignalAndWait()
    {
        int phase = _phase;
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _remaining = _threads;
            _phase = phase + 1;
            return;
        }
        var spinner = new SpinWait();
        while (_phase == phase) spinner.SpinOnce(sleep1Threshold: -1);
    }
}

/// <summary>
/// A small static pool of dedicated worker threads for large products. The calling thread always
/// does a share of the work itself. Hand-off is spin-then-wait: after a job a worker spins for
/// <see cref="SpinTicks"/> (about 50 µs) watching for the next one, so back-to-back products (a
/// training step) pay no wake-up; then it blocks on an event and costs nothing while idle.
/// Only one product uses the pool at a time; a concurrent caller runs single-threaded instead of
/// waiting. Nothing is allocated per call once the workers exist.
/// </summary>
internal static unsafe class GemmThreadPool
{
    private static readonly object s_gate = new();
    private static readonly long SpinTicks = Stopwatch.Frequency / 20_000; // 50 µs
    private static readonly GemmBarrier s_barrier = new();
    private static Worker[] s_workers = [];
    private static GemmJob s_job;
    private static int s_remaining;
    private static long s_generation;
    private static Exception? s_error;

    /// <summary>Runs <paramref name="job"/> on <c>job.Threads</c> threads; false if the pool is busy.</summary>
    public static bool TryRun(ref GemmJob job)
    {
        if (!Monitor.TryEnter(s_gate)) return false;
        try
        {
            int helpers = job.Threads - 1;
            EnsureWorkers(helpers);
            s_job = job;
            s_error = null;
            s_barrier.Reset(job.Threads);
            Volatile.Write(ref s_remaining, helpers);
            long generation = Interlocked.Increment(ref s_generation);
            for (int i = 0; i < helpers; i++) s_workers[i].Wake(generation);
            GemmDriver.Execute(ref s_job, 0, s_barrier);
            var spinner = new SpinWait();
            while (Volatile.Read(ref s_remaining) != 0) spinner.SpinOnce(sleep1Threshold: -1);
            if (s_error is { } error) ExceptionDispatchInfo.Throw(error);
            return true;
        }
        finally
        {
            Monitor.Exit(s_gate);
        }
    }

    private static void EnsureWorkers(int count)
    {
        if (s_workers.Length >= count) return;
        var workers = new Worker[count];
        Array.Copy(s_workers, workers, s_workers.Length);
        for (int i = s_workers.Length; i < count; i++) workers[i] = new Worker(i + 1);
        s_workers = workers;
    }

    private sealed class Worker
    {
        private readonly int _tid;
        private readonly ManualResetEventSlim _wake = new(false, 0);
        private long _generation;
        private long _posted;
        private int _sleeping;

        public Worker(int tid)
        {
            _tid = tid;
            var thread = new Thread(Loop) { IsBackground = true, Name = $"Occam GEMM worker {tid}" };
            thread.Start();
        }

        /// <summary>Posts job <paramref name="generation"/> to this worker and wakes it if it blocked.</summary>
        public void Wake(long generation)
        {
            Interlocked.Exchange(ref _posted, generation);
            if (Volatile.Read(ref _sleeping) == 1) _wake.Set();
        }

        private void Loop()
        {
            while (true)
            {
                WaitForJob();
                try
                {
                    GemmDriver.Execute(ref s_job, _tid, s_barrier);
                }
                catch (Exception e)
                {
                    s_error = e;
                }
                Interlocked.Decrement(ref s_remaining);
            }
        }

        private void WaitForJob()
        {
            long start = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref _posted) == _generation)
            {
                if (Stopwatch.GetTimestamp() - start < SpinTicks)
                {
                    Thread.SpinWait(16);
                    continue;
                }
                // Dekker-style hand-shake with Wake: publish "sleeping" with a full fence, then
                // re-check the generation, so either we see the new job or Wake sees us asleep.
                _wake.Reset();
                Interlocked.Exchange(ref _sleeping, 1);
                if (Volatile.Read(ref _posted) == _generation) _wake.Wait();
                Interlocked.Exchange(ref _sleeping, 0);
                start = Stopwatch.GetTimestamp();
            }
            _generation = Volatile.Read(ref _posted);
        }
    }
}
