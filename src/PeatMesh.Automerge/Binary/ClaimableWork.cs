namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Work handed to a thread-pool thread that the handing thread can still take back: <see cref="Join"/> runs it on the
/// joining thread if no pool thread has begun it (so a starved pool delays nothing), else waits for it. Used by the
/// document loader for the op set built beside the decoding (<see cref="OpsAlongside"/>) and for the later half of
/// the rebuilt changes (<see cref="DocumentChangeBuilder"/>).
/// </summary>
/// <remarks>Not thread-safe: one thread starts and joins; the work runs exactly once, or not at all after <see cref="JoinQuietly"/>.</remarks>
internal sealed class ClaimableWork
{
    private readonly Action _work;
    private readonly Task _task;
    private int _claimed;

    /// <summary>Queues <paramref name="work"/> to the thread pool.</summary>
    public ClaimableWork(Action work)
    {
        _work = work;
        _task = Task.Run(RunUnlessClaimed);
    }

    /// <summary>Runs the work here if no pool thread has begun it, else waits for it; rethrows what it threw.</summary>
    public void Join()
    {
        if (Claim())
        {
            _work();
            return;
        }

        _task.GetAwaiter().GetResult();
    }

    /// <summary>After a failure elsewhere: keeps the work from starting, or waits for a started run and ignores its outcome.</summary>
    public void JoinQuietly()
    {
        if (Claim())
        {
            return; // never started: nothing to wait for
        }

        try
        {
            _task.Wait();
        }
        catch (AggregateException)
        {
            // The caller's own error is the one reported.
        }
    }

    private bool Claim() => Interlocked.Exchange(ref _claimed, 1) == 0;

    private void RunUnlessClaimed()
    {
        if (Claim())
        {
            _work();
        }
    }
}
