using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Occam.Data;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Training;

namespace Occam.Tests.Training;

/// <summary>
/// The step warm-up's list does not rot: after <see cref="TrainingWarmup.CompileStepKernels"/>,
/// <see cref="TrainingWarmup.CompileRowTableKernels"/>, <see cref="TrainingWarmup.CompileProducts(Occam.Nn.Mlp, int, int, bool)"/>
/// (from the network's spec, as the warm-up thread gets it) and <see cref="TrainingWarmup.RunRecord"/>, a first epoch of a network shaped like the bench job's (784 inputs,
/// rows read in place, 10 classes, a short last batch, dropout, Adam with L1) compiles none of Occam's kernels (the
/// <c>AggressiveOptimization</c> methods of Occam and Occam.Numerics: those ReadyToRun cannot hold); without the
/// warm-up the same epoch compiles them (so the probe sees compilations at all). Each run loads Occam, Occam.Numerics
/// and this assembly afresh into their own load context, where no method has been compiled yet whatever the other
/// tests of the process ran; the JIT events come from an <see cref="EventListener"/> on the runtime's JIT keyword
/// (in the collection that runs alone, so that no other test runs while the listener is on).
/// </summary>
[Collection(nameof(InputPipelineTests))]
public class StepWarmupCoverageTests
{
    [Fact]
    public void AfterTheWarmupAFirstEpochCompilesNoKernel()
    {
        var cold = FreshProbe(warm: false);
        Assert.Contains(cold, name => name.Contains("GemmDriver::Execute", StringComparison.Ordinal));
        var warm = FreshProbe(warm: true);
        Assert.True(warm.Length == 0, "compiled by the first epoch after the warm-up: " + string.Join(", ", warm));
    }

    /// <summary>Runs <see cref="StepWarmupProbe.Run"/> in a new load context; returns the kernels its epoch compiled.</summary>
    private static string[] FreshProbe(bool warm)
    {
        var context = new FreshContext();
        var probe = context.LoadFromAssemblyPath(typeof(StepWarmupProbe).Assembly.Location).GetType(typeof(StepWarmupProbe).FullName!)!;
        return (string[])probe.GetMethod(nameof(StepWarmupProbe.Run))!.Invoke(null, [warm])!;
    }

    /// <summary>Loads Occam, Occam.Numerics and the test assembly from their files again; everything else from the default context.</summary>
    private sealed class FreshContext() : AssemblyLoadContext(nameof(StepWarmupCoverageTests))
    {
        private static readonly string[] Fresh = ["Occam", "Occam.Numerics", "Occam.Tests"];

        protected override Assembly? Load(AssemblyName name) =>
            Array.IndexOf(Fresh, name.Name) >= 0
                ? LoadFromAssemblyPath(Path.Combine(AppContext.BaseDirectory, name.Name + ".dll"))
                : null;
    }
}

/// <summary>What <see cref="StepWarmupCoverageTests"/> runs inside a fresh load context.</summary>
public static class StepWarmupProbe
{
    /// <summary>
    /// Prepares a job like the bench job's but small (300 rows of 784 byte pixels, 10 classes, hidden 64 and 32, batch
    /// 256, dropout 0.2, Adam, L1), optionally runs the step warm-up for it, then trains one epoch and returns the Occam
    /// kernels (methods with <see cref="MethodImplOptions.AggressiveOptimization"/>) compiled meanwhile.
    /// </summary>
    public static string[] Run(bool warm)
    {
        const int rows = 300, features = 784, classes = 10;
        var rng = new Occam.Numerics.Random.Rng(3);
        var pixels = new byte[rows * features];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)rng.NextInt(256);
        var labels = new double[rows];
        for (int i = 0; i < rows; i++) labels[i] = i % classes;
        var names = new string[features];
        for (int j = 0; j < features; j++) names[j] = "p" + j;
        var classNames = new string[classes];
        for (int c = 0; c < classes; c++) classNames[c] = c.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var data = new Dataset(pixels, 0, labels, rows, features, names, "label", TaskKind.Multiclass, classNames);
        var settings = new FitSettings
        {
            Hidden = [64, 32],
            Dropout = 0.2,
            Training = new TrainingOptions { BatchSize = 256, Epochs = 1, Optimizer = new OptimizerOptions { Kind = OptimizerKind.Adam } },
            Regularization = [new LayerRegularization(ElasticNetPenalty.Lasso(1e-4))],
            Seed = 1,
        };
        var job = MlpFitter.Prepare(data, settings);
        if (warm)
        {
            // What the warm-up thread runs (TrainingWarmup.Start): the products from the spec, as MlpFitter.Prepare gives
            // them before it builds the network (TrainingWarmup.NetworkKnown).
            TrainingWarmup.CompileStepKernels();
            TrainingWarmup.CompileRowTableKernels(idxImages: true);
            TrainingWarmup.CompileProducts(TrainingWarmup.DenseShapes(MlpFitter.SpecFor(data, settings)), true, job.Rows.Train.Length, settings.Training.BatchSize, data.HasBytes);
            TrainingWarmup.RunRecord(TrainingWarmup.RunPreparation(idxImages: true));   // on the warm-up's tiny model, as Start runs it
        }
        using var listener = new JitListener();
        Marker(1);
        var trainer = new Trainer(job.Model, settings.Training, job.Regularization, job.Train.Rows);
        trainer.Run(job.Train, job.Validation, job.TrainRng);
        Marker(2);
        return listener.KernelsBetweenMarkers(typeof(MlpFitter).Assembly, typeof(Occam.Numerics.Gemm).Assembly);
    }

    /// <summary>A method compiled at its first call whose JIT event brackets the epoch's.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Marker(int which) => which switch
    {
        1 => MarkerOne(),
        _ => MarkerTwo(),
    };

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int MarkerOne() => 1;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int MarkerTwo() => 2;

    /// <summary>Collects the names of methods the JIT compiles (<c>MethodLoadVerbose</c> events), in order.</summary>
    private sealed class JitListener : EventListener
    {
        private readonly ConcurrentQueue<(string Name, MethodBase? Method)> _compiled = new();

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x10);
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventName is null || !e.EventName.StartsWith("MethodLoadVerbose", StringComparison.Ordinal) || e.Payload is null) return;
            string name = $"{e.Payload[e.PayloadNames!.IndexOf("MethodNamespace")]}::{e.Payload[e.PayloadNames.IndexOf("MethodName")]}";
            _compiled.Enqueue((name, MethodOf(Convert.ToUInt64(e.Payload[e.PayloadNames.IndexOf("MethodID")], System.Globalization.CultureInfo.InvariantCulture))));
        }

        /// <summary>
        /// Waits (events arrive asynchronously) until the second marker's compilation is seen, then returns the methods
        /// compiled between the two markers that carry <see cref="MethodImplOptions.AggressiveOptimization"/> in one of
        /// <paramref name="assemblies"/>.
        /// </summary>
        public string[] KernelsBetweenMarkers(params Assembly[] assemblies)
        {
            string first = $"{typeof(StepWarmupProbe).FullName}::{nameof(MarkerOne)}", second = $"{typeof(StepWarmupProbe).FullName}::{nameof(MarkerTwo)}";
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!_compiled.Any(c => c.Name == second))
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException("the JIT events of the probe did not arrive within 30 s.");
                Thread.Sleep(20);
            }
            var all = _compiled.ToArray();
            int start = Array.FindIndex(all, c => c.Name == first), end = Array.FindIndex(all, c => c.Name == second);
            if (start < 0) throw new InvalidOperationException("the first marker's JIT event is missing.");
            var kernels = new List<string>();
            for (int i = start + 1; i < end; i++)
                if (all[i].Method is { } m && Array.IndexOf(assemblies, m.Module.Assembly) >= 0
                    && (m.MethodImplementationFlags & MethodImplAttributes.AggressiveOptimization) != 0)
                    kernels.Add(all[i].Name + (m.IsGenericMethod ? "<" + string.Join(", ", m.GetGenericArguments().Select(t => t.Name)) + ">" : ""));
            return [.. kernels];
        }

        /// <summary>The method an event's MethodID (the runtime's method handle) names, or null when it cannot be resolved.</summary>
        private static MethodBase? MethodOf(ulong id)
        {
            try
            {
                return MethodBase.GetMethodFromHandle(RuntimeMethodHandle.FromIntPtr((nint)id));
            }
            catch (ArgumentException)
            {
                return null;
            }
        }
    }
}
