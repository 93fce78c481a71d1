using PeatMesh.Automerge.Binary;

namespace PeatMesh.Automerge.Model;

/// <summary>
/// An Automerge change: a batch of ops by one actor, identified by the SHA-256 <see cref="Hash"/> of
/// its canonical change chunk (Automerge binary format, "Change chunk").
/// </summary>
/// <remarks>
/// Immutable; thread-safe. A change built in memory is encoded once, lazily, on first access to
/// <see cref="Hash"/> or <see cref="RawBytes"/>; a change decoded from bytes keeps those exact bytes.
/// </remarks>
public sealed class Change
{
    private static readonly ChangeHash[] NoDeps = [];
    private byte[]? _raw;
    private ChangeHash _hash;
    private bool _hashed;
    private readonly object _gate = new();

    /// <summary>Creates a change.</summary>
    /// <param name="actor">The author.</param>
    /// <param name="seq">Sequence number per actor, starting at 1, without gaps.</param>
    /// <param name="startOp">Counter of the first op (≥ 1).</param>
    /// <param name="time">Seconds since the Unix epoch as Automerge JS writes them (opaque to the CRDT).</param>
    /// <param name="message">Optional commit message.</param>
    /// <param name="deps">Hashes of the changes this one depends on; stored sorted ascending.</param>
    /// <param name="ops">The ops; op <c>i</c> has id <c>(startOp + i)@actor</c>.</param>
    /// <param name="extraBytes">Trailing bytes after the op columns (kept and hashed); empty by default.</param>
    /// <exception cref="ArgumentException"><paramref name="seq"/> or <paramref name="startOp"/> is 0, or <paramref name="actor"/> is empty.</exception>
    public Change(ActorId actor, ulong seq, ulong startOp, long time, string? message,
        IEnumerable<ChangeHash>? deps, IReadOnlyList<Op> ops, ReadOnlyMemory<byte> extraBytes = default)
    {
        ArgumentNullException.ThrowIfNull(ops);
        if (actor.IsEmpty)
        {
            throw new ArgumentException("A change needs an actor.", nameof(actor));
        }

        if (seq == 0)
        {
            throw new ArgumentException("seq starts at 1.", nameof(seq));
        }

        if (startOp == 0)
        {
            throw new ArgumentException("startOp starts at 1.", nameof(startOp));
        }

        Actor = actor;
        Seq = seq;
        StartOp = startOp;
        Time = time;
        Message = message;
        var sorted = deps?.ToArray() ?? NoDeps;
        Array.Sort(sorted);
        Deps = sorted;
        Ops = ops.ToArray();
        ExtraBytes = extraBytes;
    }

    /// <summary>The author.</summary>
    public ActorId Actor { get; }

    /// <summary>Per-actor sequence number (1, 2, 3, …).</summary>
    public ulong Seq { get; }

    /// <summary>Counter of the first op.</summary>
    public ulong StartOp { get; }

    /// <summary>The largest op counter in the change (<c>StartOp − 1</c> for an empty change).</summary>
    public ulong MaxOp => StartOp + (ulong)Ops.Count - 1;

    /// <summary>Commit time, seconds since the Unix epoch (JS convention).</summary>
    public long Time { get; }

    /// <summary>Commit message, or <see langword="null"/>.</summary>
    public string? Message { get; }

    /// <summary>Dependencies, sorted ascending.</summary>
    public IReadOnlyList<ChangeHash> Deps { get; }

    /// <summary>The ops in counter order.</summary>
    public IReadOnlyList<Op> Ops { get; }

    /// <summary>Extra bytes after the op columns (e.g. the 3.5.0 author footer).</summary>
    public ReadOnlyMemory<byte> ExtraBytes { get; }

    /// <summary>The id of op <paramref name="index"/>.</summary>
    public OpId OpIdAt(int index) => new(StartOp + (ulong)index, Actor);

    /// <summary>The change hash (SHA-256 of the change chunk).</summary>
    public ChangeHash Hash
    {
        get
        {
            EnsureEncoded();
            return _hash;
        }
    }

    /// <summary>The complete change chunk (magic, checksum, type, length, body) as stored and sent.</summary>
    public ReadOnlyMemory<byte> RawBytes
    {
        get
        {
            EnsureEncoded();
            return _raw;
        }
    }

    /// <summary>Attaches the bytes a change was decoded from (and their hash); used by the decoder only.</summary>
    internal void SetEncoded(byte[] raw, ChangeHash hash)
    {
        lock (_gate)
        {
            _raw = raw;
            _hash = hash;
            _hashed = true;
        }
    }

    private void EnsureEncoded()
    {
        if (Volatile.Read(ref _hashed))
        {
            return;
        }

        lock (_gate)
        {
            if (_hashed)
            {
                return;
            }

            _raw = ChangeChunk.Encode(this, out _hash);
            Volatile.Write(ref _hashed, true);
        }
    }

    /// <summary>A debugging representation.</summary>
    public override string ToString() => $"Change({Actor} seq={Seq} startOp={StartOp} ops={Ops.Count} deps={Deps.Count})";
}
