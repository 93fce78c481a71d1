namespace PeatMesh.Discovery.Mdns;

/// <summary>
/// Runs delayed actions on one <see cref="TimeProvider"/> timer, always armed for the earliest pending action, so a
/// fake clock drives every probe, announcement, query, delayed answer and expiry of <see cref="MdnsDiscovery"/>.
/// </summary>
/// <remarks>
/// <see cref="Schedule"/> must be called while holding the gate passed to the constructor; actions run while holding
/// it. After each batch of due actions, <c>afterRun</c> is called outside the gate (to raise queued events).
/// </remarks>
internal sealed class MdnsScheduler : IDisposable
{
    private readonly TimeProvider _time;
    private readonly object _gate;
    private readonly Action _afterRun;
    private readonly Action<Exception> _onError;
    private readonly long _origin;
    private readonly PriorityQueue<Action, (TimeSpan Due, long Sequence)> _queue = new();
    private readonly ITimer _timer;
    private long _sequence;
    private TimeSpan? _armedFor;
    private bool _disposed;

    /// <summary>Creates the scheduler; its clock starts at zero now.</summary>
    public MdnsScheduler(TimeProvider time, object gate, Action afterRun, Action<Exception> onError)
    {
        _time = time;
        _gate = gate;
        _afterRun = afterRun;
        _onError = onError;
        _origin = time.GetTimestamp();
        _timer = time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Time since the scheduler was created (monotonic).</summary>
    public TimeSpan Now => _time.GetElapsedTime(_origin);

    /// <summary>Runs <paramref name="action"/> (under the gate) once <paramref name="delay"/> has passed.</summary>
    public void Schedule(TimeSpan delay, Action action)
    {
        if (_disposed)
        {
            return;
        }

        var due = Now + (delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
        _queue.Enqueue(action, (due, _sequence++));
        Arm();
    }

    /// <summary>Stops the timer; pending actions never run.</summary>
    public void Dispose()
    {
        _disposed = true;
        _queue.Clear();
        _timer.Dispose();
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            _armedFor = null;
            while (!_disposed && _queue.TryPeek(out var action, out var key) && key.Due <= Now)
            {
                _queue.Dequeue();
                try
                {
                    action();
                }
                catch (Exception e)
                {
                    _onError(e);
                }
            }

            Arm();
        }

        _afterRun();
    }

    private void Arm()
    {
        if (_disposed || !_queue.TryPeek(out _, out var key) || (_armedFor is { } armed && armed <= key.Due))
        {
            return;
        }

        _armedFor = key.Due;
        var delay = key.Due - Now;
        _timer.Change(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
    }
}
