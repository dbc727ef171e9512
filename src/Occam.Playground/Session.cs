using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Occam.Data;
using Occam.Nn;
using Occam.Serialization;
using Occam.Training;

namespace Occam.Playground;

/// <summary>
/// One page's training run: its data, a <see cref="SteppedFit"/> on the engine, the play state, a loss curve, an
/// optional λ path and the open event streams. A background loop trains <see cref="PlaygroundSettings.EpochsPerFrame"/>
/// epochs per frame while playing (at most 60 ms of training per frame, one session per CPU core at a time) and sends a
/// frame to every stream at <see cref="PlaygroundSettings.FramesPerSecond"/> whenever something changed. Every access to
/// the fit is under one lock; the loop never throws (an engine error stops playing and is shown in the frame).
/// </summary>
internal sealed class Session : IDisposable
{
    private static readonly TimeSpan FrameBudget = TimeSpan.FromMilliseconds(60);
    private readonly object _gate = new();
    private readonly PlaygroundLimits _limits;
    private readonly SemaphoreSlim _cpu;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Channel<string>> _streams = [];
    private readonly LossCurve _curve = new(200);
    private readonly (double Min, double Max) _valueRange;
    private PlaygroundSettings _settings;
    private SteppedFit _fit;
    private EpochRecord? _last;
    private bool _playing;
    private bool _dirty = true;
    private string? _error;
    private PathRun? _path;
    private long _lastSeen;
    private Task _loop = Task.CompletedTask;

    private Session(string id, PlaygroundSettings settings, PlaygroundData data, SteppedFit fit, PlaygroundLimits limits, SemaphoreSlim cpu, TimeProvider clock)
    {
        Id = id;
        _settings = settings;
        Data = data;
        _fit = fit;
        _limits = limits;
        _cpu = cpu;
        _clock = clock;
        Created = clock.GetUtcNow();
        _lastSeen = clock.GetTimestamp();
        var y = data.Points.Y;
        _valueRange = data.Points.Task == TaskKind.Regression ? (y.Min(), y.Max()) : (0, 1);
    }

    public string Id { get; }
    public DateTimeOffset Created { get; }
    public PlaygroundData Data { get; }

    /// <summary>Open event streams.</summary>
    public int Streams
    {
        get { lock (_gate) return _streams.Count; }
    }

    /// <summary>Seconds since the last request or frame sent.</summary>
    public TimeSpan Idle => _clock.GetElapsedTime(Interlocked.Read(ref _lastSeen));

    /// <summary>Builds the data and the fit (a bad setting or file is a <see cref="PlaygroundRequestException"/>) and starts the loop.</summary>
    public static Session Create(string id, PlaygroundSettings settings, string? csv, PlaygroundLimits limits, SemaphoreSlim cpu, TimeProvider clock)
    {
        var data = PlaygroundData.Create(settings, csv, limits);
        var session = new Session(id, settings, data, StartFit(settings, data), limits, cpu, clock);
        session._loop = Task.Run(() => session.RunAsync(session._stop.Token));
        return session;
    }

    private static SteppedFit StartFit(PlaygroundSettings s, PlaygroundData data)
    {
        if (s.Dropout > 0 && s.Hidden.Count == 0) throw new PlaygroundRequestException("dropout acts after hidden layers; add a hidden layer or set dropout to 0.");
        if (s.Penalty == "grouplasso" && s.Hidden.Count == 0) throw new PlaygroundRequestException("group lasso removes hidden units; add a hidden layer or pick another penalty.");
        try
        {
            return SteppedFit.Start(data.Inputs, s.ToFitSettings());
        }
        catch (OccamException e)
        {
            throw new PlaygroundRequestException(e.Message);
        }
    }

    public void Touch() => Interlocked.Exchange(ref _lastSeen, _clock.GetTimestamp());

    /// <summary>play, pause, step (one epoch) or reset (the same settings from epoch 0; the λ path is dropped).</summary>
    public void Control(string action)
    {
        Touch();
        lock (_gate)
        {
            switch (action)
            {
                case "play": _playing = true; _error = null; break;
                case "pause": _playing = false; break;
                case "step":
                    _playing = false;
                    TrainEpochs(1);
                    break;
                case "reset":
                    _playing = false;
                    _path = null;
                    _error = null;
                    _fit = StartFit(_settings, Data);
                    _last = null;
                    _curve.Clear();
                    break;
                default:
                    throw new PlaygroundRequestException($"action must be play, pause, step or reset (got '{(action.Length > 20 ? action[..20] + "…" : action)}').");
            }
            _dirty = true;
        }
    }

    /// <summary>Changes live settings (penalty, λ, ρ, L1 mode, dropout, lr, speed): training continues from the current weights.</summary>
    public void Update(JsonElement json)
    {
        Touch();
        lock (_gate)
        {
            var s = _settings.With(json, _limits, PlaygroundSettings.LiveFields);
            if (s.Dropout > 0 && s.Hidden.Count == 0) throw new PlaygroundRequestException("dropout acts after hidden layers; this network has none.");
            if (s.Penalty == "grouplasso" && s.Hidden.Count == 0) throw new PlaygroundRequestException("group lasso removes hidden units; this network has none.");
            _fit.Regularization = s.ToPenalty().ForNetwork(_fit.Model.DenseLayers.Count);
            _fit.Dropout = s.Dropout;
            _fit.LearningRate = s.LearningRate;
            _settings = s;
            _dirty = true;
        }
    }

    /// <summary>
    /// Starts a λ path: <paramref name="points"/> values from the current λ down to λ·<paramref name="ratio"/>, log-spaced,
    /// each trained <paramref name="epochs"/> epochs from the weights of the one before (warm start); a frame is kept per λ.
    /// </summary>
    public void StartPath(int points, int epochs, double ratio)
    {
        Touch();
        lock (_gate)
        {
            if (_settings.Penalty == "none") throw new PlaygroundRequestException("a λ path needs a penalty: pick l1, l2, elasticnet or grouplasso first.");
            if (!(_settings.Lambda > 0)) throw new PlaygroundRequestException("a λ path starts at the current λ, which is 0; set λ > 0 (e.g. 0.03).");
            var lambdas = Enumerable.Range(0, points).Select(k => _settings.Lambda * Math.Pow(ratio, points == 1 ? 0 : (double)k / (points - 1))).ToArray();
            _path = new PathRun(lambdas, epochs);
            SetLambda(lambdas[0]);
            _playing = true;
            _error = null;
            _dirty = true;
        }
    }

    /// <summary>The frame kept for λ number <paramref name="index"/> of the path.</summary>
    public string PathFrame(int index)
    {
        Touch();
        lock (_gate)
        {
            if (_path is null) throw new PlaygroundRequestException("this session has no λ path; start one first (POST .../path).");
            if (index < 0 || index >= _path.Frames.Count)
                throw new PlaygroundRequestException($"the path has {_path.Frames.Count} finished λ values so far; ask for 0 to {_path.Frames.Count - 1} (got {index}).");
            return _path.Frames[index];
        }
    }

    /// <summary>The frame of the pruned network (dead units and cut inputs removed) with the largest grid difference to the unpruned one.</summary>
    public string Prune()
    {
        Touch();
        lock (_gate)
        {
            var full = _fit.Snapshot();
            Mlp pruned;
            try
            {
                pruned = Pruning.RemoveDeadUnits(full);
            }
            catch (OccamException e)
            {
                throw new PlaygroundRequestException(e.Message);
            }
            return Json(w =>
            {
                w.WriteBoolean("pruned", true);
                w.WriteNumber("epoch", _fit.Epoch);
                w.WriteNumber("maxGridDifference", Snapshot.GridDifference(full, pruned, Data, _limits));
                Snapshot.WriteModel(w, pruned, Data, _limits, _valueRange);
            });
        }
    }

    /// <summary>The current network as an occam-mlp/1 file (pruned when asked).</summary>
    public string ModelJson(bool pruned)
    {
        Touch();
        lock (_gate)
        {
            var model = _fit.Snapshot();
            try
            {
                return MlpJson.ToJson(pruned ? Pruning.RemoveDeadUnits(model) : model);
            }
            catch (OccamException e)
            {
                throw new PlaygroundRequestException(e.Message);
            }
        }
    }

    /// <summary>The network's input data (the chosen features and the target) as CSV: what <c>occam train</c> reads.</summary>
    public byte[] DataCsv()
    {
        Touch();
        using var stream = new MemoryStream();
        CsvWriter.Write(Data.Inputs, stream);
        return stream.ToArray();
    }

    /// <summary>The <c>occam train</c> arguments that reproduce the session's first <paramref name="epochs"/> epochs on <see cref="DataCsv"/>.</summary>
    public IReadOnlyList<string> TrainCommand(string dataFile, int epochs, string modelFile)
    {
        lock (_gate) return _settings.TrainCommand(dataFile, Data.Inputs.TargetName, epochs, modelFile);
    }

    /// <summary>What the page needs once: the settings, the task, the classes, the domain, the points; then the first frame.</summary>
    public string Describe() => Json(w =>
    {
        lock (_gate)
        {
            w.WriteString("id", Id);
            WriteSettings(w);
            w.WriteString("task", TaskKinds.Name(Data.Points.Task));
            if (Data.Points.Classes is { } classes)
            {
                w.WriteStartArray("classes");
                foreach (var c in classes) w.WriteStringValue(c);
                w.WriteEndArray();
            }
            w.WriteStartObject("domain");
            w.WriteNumber("xMin", Data.Domain.XMin);
            w.WriteNumber("xMax", Data.Domain.XMax);
            w.WriteNumber("yMin", Data.Domain.YMin);
            w.WriteNumber("yMax", Data.Domain.YMax);
            w.WriteEndObject();
            w.WriteNumber("valueMin", _valueRange.Min);
            w.WriteNumber("valueMax", _valueRange.Max);
            Snapshot.WritePoints(w, _fit, Data.Points);
            w.WriteString("trainCommand", string.Join(' ', _settings.TrainCommand("playground.csv", Data.Inputs.TargetName, 100, "model.json")
                .Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a).Prepend("occam")));
        }
    });

    /// <summary>A reader of this session's frames (the current one first); when the session already has the most streams allowed, the oldest is ended.</summary>
    public ChannelReader<string> Subscribe()
    {
        Touch();
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(2) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            // At most MaxStreamsPerSession streams: a new one ends the oldest (a reloaded tab replaces its stale stream).
            while (_streams.Count >= _limits.MaxStreamsPerSession)
            {
                _streams[0].Writer.TryComplete();
                _streams.RemoveAt(0);
            }
            _streams.Add(channel);
            channel.Writer.TryWrite(Frame());
        }
        return channel.Reader;
    }

    public void Unsubscribe(ChannelReader<string> reader)
    {
        Touch();
        lock (_gate) _streams.RemoveAll(c => c.Reader == reader);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var c in _streams) c.Writer.TryComplete();
            _streams.Clear();
        }
        _stop.Cancel();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends by cancellation.
        }
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            long start = _clock.GetTimestamp();
            int fps;
            bool playing;
            lock (_gate)
            {
                playing = _playing;
                fps = _settings.FramesPerSecond;
            }
            try
            {
                if (playing)
                {
                    await _cpu.WaitAsync(ct).ConfigureAwait(false);
                    try
                    {
                        lock (_gate) TrainFrame();
                    }
                    finally
                    {
                        _cpu.Release();
                    }
                }
                lock (_gate)
                {
                    if (_dirty && _streams.Count > 0)
                    {
                        string frame = Frame();
                        _dirty = false;
                        foreach (var c in _streams) c.Writer.TryWrite(frame);
                        Touch();
                    }
                }
                var wait = TimeSpan.FromSeconds(1.0 / fps) - _clock.GetElapsedTime(start);
                await Task.Delay(wait > TimeSpan.FromMilliseconds(1) ? wait : TimeSpan.FromMilliseconds(1), _clock, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
#pragma warning disable CA1031 // the loop outlives any one error: it stops playing and shows the message
            catch (Exception e)
#pragma warning restore CA1031
            {
                lock (_gate)
                {
                    _playing = false;
                    _error = "internal error: " + e.Message;
                    _dirty = true;
                }
            }
        }
    }

    /// <summary>Up to the frame's epochs within the time budget (under the lock).</summary>
    private void TrainFrame()
    {
        long start = _clock.GetTimestamp();
        for (int i = 0; i < _settings.EpochsPerFrame && _playing && _clock.GetElapsedTime(start) < FrameBudget; i++)
            TrainEpochs(1);
    }

    /// <summary>Trains <paramref name="epochs"/> epochs (advancing the λ path when one runs); an engine error stops playing and is kept for the frame.</summary>
    private void TrainEpochs(int epochs)
    {
        for (int i = 0; i < epochs; i++)
        {
            try
            {
                _last = _fit.NextEpoch();
            }
            catch (OccamException e)
            {
                _playing = false;
                _error = e.Message;
                _dirty = true;
                return;
            }
            _curve.Add(_last);
            _dirty = true;
            if (_path is { Done: false } path && ++path.EpochsAtLambda >= path.EpochsPerLambda)
            {
                path.Frames.Add(Frame());
                path.Summaries.Add(new PathPoint(path.Lambdas[path.Frames.Count - 1], _last.TrainLoss, _last.ValidationLoss, _last.ZeroFraction, _last.DeadUnits));
                path.EpochsAtLambda = 0;
                if (path.Done)
                {
                    _playing = false;
                    return;
                }
                SetLambda(path.Lambdas[path.Frames.Count]);
            }
        }
    }

    private void SetLambda(double lambda)
    {
        _settings = _settings with { Lambda = lambda };
        _fit.Regularization = _settings.ToPenalty().ForNetwork(_fit.Model.DenseLayers.Count);
    }

    /// <summary>The current frame (under the lock).</summary>
    private string Frame() => Json(w =>
    {
        w.WriteString("id", Id);
        w.WriteNumber("epoch", _fit.Epoch);
        w.WriteNumber("steps", _fit.Steps);
        w.WriteBoolean("playing", _playing);
        if (_error is not null) w.WriteString("error", _error);
        WriteSettings(w);
        w.WriteStartObject("losses");
        if (_last is { } e)
        {
            w.WriteNumber("train", e.TrainLoss);
            w.WriteNumber("trainMetric", e.TrainMetric);
            if (e.ValidationLoss is double vl) w.WriteNumber("test", vl);
            if (e.ValidationMetric is double vm) w.WriteNumber("testMetric", vm);
            w.WriteNumber("penalty", e.Penalty);
        }
        w.WriteEndObject();
        _curve.Write(w);
        if (_path is { } p) p.Write(w);
        Snapshot.WriteModel(w, _fit.Model, Data, _limits, _valueRange);
    });

    private void WriteSettings(Utf8JsonWriter w)
    {
        var s = _settings;
        var inv = CultureInfo.InvariantCulture;
        w.WriteStartObject("settings");
        w.WriteString("dataset", s.Dataset);
        w.WriteNumber("noise", s.Noise);
        w.WriteNumber("points", s.Points);
        w.WriteNumber("trainPercent", s.TrainPercent);
        w.WriteString("seed", s.Seed.ToString(inv));
        w.WriteString("features", string.Join(',', s.Features));
        w.WriteString("hidden", s.Hidden.Count == 0 ? "none" : string.Join(',', s.Hidden));
        w.WriteString("activation", s.Activation);
        w.WriteNumber("learningRate", s.LearningRate);
        w.WriteNumber("batchSize", s.BatchSize);
        w.WriteString("optimizer", s.Optimizer);
        w.WriteString("penalty", s.Penalty);
        w.WriteNumber("lambda", s.Lambda);
        w.WriteNumber("l1Ratio", s.L1Ratio);
        w.WriteString("l1Mode", s.L1Mode);
        w.WriteNumber("dropout", s.Dropout);
        w.WriteNumber("epochsPerFrame", s.EpochsPerFrame);
        w.WriteNumber("framesPerSecond", s.FramesPerSecond);
        w.WriteEndObject();
    }

    internal static string Json(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private sealed record PathPoint(double Lambda, double TrainLoss, double? TestLoss, double ZeroFraction, int DeadUnits);

    /// <summary>A λ path in progress: the λ values, the epochs per λ, one frame and one summary per finished λ.</summary>
    private sealed class PathRun(double[] lambdas, int epochsPerLambda)
    {
        public double[] Lambdas { get; } = lambdas;
        public int EpochsPerLambda { get; } = epochsPerLambda;
        public int EpochsAtLambda { get; set; }
        public List<string> Frames { get; } = [];
        public List<PathPoint> Summaries { get; } = [];
        public bool Done => Frames.Count == Lambdas.Length;

        public void Write(Utf8JsonWriter w)
        {
            w.WriteStartObject("path");
            w.WriteNumber("epochsPerLambda", EpochsPerLambda);
            w.WriteBoolean("done", Done);
            w.WriteStartArray("lambdas");
            foreach (double l in Lambdas) w.WriteNumberValue(l);
            w.WriteEndArray();
            w.WriteStartArray("finished");
            foreach (var p in Summaries)
            {
                w.WriteStartObject();
                w.WriteNumber("lambda", p.Lambda);
                w.WriteNumber("train", p.TrainLoss);
                if (p.TestLoss is double t) w.WriteNumber("test", t);
                w.WriteNumber("zeroFraction", p.ZeroFraction);
                w.WriteNumber("deadUnits", p.DeadUnits);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
    }
}

/// <summary>
/// The loss curve of a session in bounded memory: at most <c>capacity</c> points; when full, every other point is
/// dropped and from then on only every 2nd (then 4th, …) epoch is kept, so the curve spans the whole run.
/// </summary>
internal sealed class LossCurve(int capacity)
{
    private readonly List<(int Epoch, double Train, double? Test)> _points = [];
    private int _stride = 1;

    public void Clear()
    {
        _points.Clear();
        _stride = 1;
    }

    public void Add(EpochRecord e)
    {
        if (e.Epoch % _stride != 0) return;
        _points.Add((e.Epoch, e.TrainLoss, e.ValidationLoss));
        if (_points.Count < capacity) return;
        var kept = _points.Where((_, i) => i % 2 == 1).ToArray();
        _points.Clear();
        _points.AddRange(kept);
        _stride *= 2;
    }

    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject("curve");
        w.WriteStartArray("epoch");
        foreach (var p in _points) w.WriteNumberValue(p.Epoch);
        w.WriteEndArray();
        w.WriteStartArray("train");
        foreach (var p in _points) w.WriteNumberValue(p.Train);
        w.WriteEndArray();
        w.WriteStartArray("test");
        foreach (var p in _points)
            if (p.Test is double t) w.WriteNumberValue(t);
            else w.WriteNullValue();
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
