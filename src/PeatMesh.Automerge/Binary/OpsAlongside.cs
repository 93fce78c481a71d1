using System.Runtime.ExceptionServices;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Runs a reader of a <see cref="DocumentOps"/> (the op-set build) on a thread-pool thread while the calling thread is
/// still decoding the rows and then rebuilding the changes: the reader follows the rows as they are published
/// (<see cref="DocumentOps.AwaitRows"/>).
/// </summary>
/// <remarks>
/// Not thread-safe: one thread starts and joins. If no pool thread has started the reader by the time
/// <see cref="Join"/> is called, the joining thread runs it itself (<see cref="ClaimableWork"/>).
/// </remarks>
internal sealed class OpsAlongside
{
    private readonly ClaimableWork _work;

    private OpsAlongside(DocumentOps ops, Action<DocumentOps> reader)
    {
        ops.BeginSharedReading();
        _work = new ClaimableWork(() => reader(ops));
    }

    /// <summary>
    /// Starts <paramref name="reader"/> on a pool thread when it is given, the rows are expected to number at least
    /// <paramref name="minRows"/> and the machine has more than one processor; otherwise returns null (the caller runs
    /// the reader after the rows are complete).
    /// </summary>
    public static OpsAlongside? Start(DocumentOps ops, Action<DocumentOps>? reader, int expectedRows, int minRows) =>
        reader is not null && expectedRows >= minRows && Environment.ProcessorCount > 1 ? new OpsAlongside(ops, reader) : null;

    /// <summary>Waits for the reader (running it here if no pool thread has begun it) and rethrows what it threw.</summary>
    public void Join() => _work.Join();

    /// <summary>After a failed decode (the rows abandoned): waits for a started reader and ignores its outcome.</summary>
    public void JoinQuietly() => _work.JoinQuietly();

    /// <summary>
    /// Joins the reader after <paramref name="work"/> ran on this thread; when either threw, rethrows one error — a
    /// format error first (the heads check's verdict: the reader may have failed only because the input is bad), then
    /// the work's. (Not generic: a generic method instantiated over a value type would be compiled by the JIT on the
    /// first load of a process instead of coming precompiled.)
    /// </summary>
    public void JoinAfter(Action work)
    {
        ExceptionDispatchInfo? workError = null, readerError = null;
        try
        {
            work();
        }
        catch (Exception e)
        {
            workError = ExceptionDispatchInfo.Capture(e);
        }

        try
        {
            Join();
        }
        catch (Exception e)
        {
            readerError = ExceptionDispatchInfo.Capture(e);
        }

        var error = workError?.SourceException is AutomergeFormatException ? workError
            : readerError?.SourceException is AutomergeFormatException ? readerError
            : workError ?? readerError;
        error?.Throw();
    }
}
