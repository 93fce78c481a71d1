using PeatMesh.Automerge.Binary;

namespace PeatMesh.Automerge.Model;

/// <summary>
/// An Automerge change: a batch of ops by one actor, identified by the SHA-256 <see cref="Hash"/> of
/// its canonical change chunk (Automerge binary format, "Change chunk").
/// </summary>
/// <remarks>
/// Immutable; thread-safe. A change built in memory is encoded once, lazily, on first access to
/// <see cref="Hash"/> or <see cref="RawBytes"/>; a change decoded from a change chunk keeps those exact bytes; a change
/// rebuilt from a document chunk keeps its hash and materialises its <see cref="Ops"/> and bytes on first use.
/// </remarks>
public sealed class Change
{
    private static readonly ChangeHash[] NoDeps = [];
    private readonly int _opCount;
    private readonly int _opSourceIndex;
    private Op[]? _ops;
    private IChangeOpSource? _opSource;
    private byte[]? _raw;
    private ChangeHash _hash;
    private volatile bool _hashed;
    private readonly ChangeHash[] _deps;

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
        _deps = sorted;
        var copy = ops.ToArray();
        _ops = copy;
        _opCount = copy.Length;
        ExtraBytes = extraBytes;
    }

    /// <summary>
    /// Creates a change whose hash is already known and whose ops come from <paramref name="opSource"/> when first
    /// needed (a change rebuilt from a document chunk). The caller has validated every argument.
    /// </summary>
    internal Change(ActorId actor, ulong seq, ulong startOp, long time, string? message, ChangeHash[] sortedDeps,
        int opCount, ReadOnlyMemory<byte> extraBytes, ChangeHash hash, IChangeOpSource opSource, int opSourceIndex)
    {
        Actor = actor;
        Seq = seq;
        StartOp = startOp;
        Time = time;
        Message = message;
        _deps = sortedDeps.Length == 0 ? NoDeps : sortedDeps;
        ExtraBytes = extraBytes;
        _opCount = opCount;
        _opSource = opSource;
        _opSourceIndex = opSourceIndex;
        _hash = hash;
        _hashed = true;
    }

    /// <summary>The author.</summary>
    public ActorId Actor { get; }

    /// <summary>Per-actor sequence number (1, 2, 3, …).</summary>
    public ulong Seq { get; }

    /// <summary>Counter of the first op.</summary>
    public ulong StartOp { get; }

    /// <summary>The largest op counter in the change (<c>StartOp − 1</c> for an empty change).</summary>
    public ulong MaxOp => StartOp + (ulong)_opCount - 1;

    /// <summary>Commit time, seconds since the Unix epoch (JS convention).</summary>
    public long Time { get; }

    /// <summary>Commit message, or <see langword="null"/>.</summary>
    public string? Message { get; }

    /// <summary>Dependencies, sorted ascending.</summary>
    public IReadOnlyList<ChangeHash> Deps => _deps;

    /// <summary>The dependencies as a span (same order as <see cref="Deps"/>).</summary>
    internal ReadOnlySpan<ChangeHash> DepsSpan => _deps;

    /// <summary>The ops in counter order.</summary>
    public IReadOnlyList<Op> Ops => OpsArray;

    /// <summary>The ops in counter order as a span (same as <see cref="Ops"/>, without interface calls).</summary>
    internal ReadOnlySpan<Op> OpsSpan => OpsArray;

    private Op[] OpsArray => Volatile.Read(ref _ops) ?? MaterializeOps();

    /// <summary>Number of ops (without materialising them).</summary>
    internal int OpCount => _opCount;

    /// <summary>Extra bytes after the op columns (e.g. the 3.5.0 author footer).</summary>
    public ReadOnlyMemory<byte> ExtraBytes { get; }

    /// <summary>The id of op <paramref name="index"/>.</summary>
    public OpId OpIdAt(int index) => new(StartOp + (ulong)index, Actor);

    /// <summary>The change hash (SHA-256 of the change chunk).</summary>
    public ChangeHash Hash
    {
        get
        {
            if (!_hashed)
            {
                EnsureEncoded();
            }

            return _hash;
        }
    }

    /// <summary>The complete change chunk (magic, checksum, type, length, body) as stored and sent.</summary>
    public ReadOnlyMemory<byte> RawBytes => EnsureEncoded();

    /// <summary>Attaches the bytes a change was decoded from or rebuilt as (and their hash); used by the decoders only.</summary>
    internal void SetEncoded(byte[] raw, ChangeHash hash)
    {
        _hash = hash;
        _hashed = true;
        Volatile.Write(ref _raw, raw);
    }

    private byte[] EnsureEncoded()
    {
        var raw = Volatile.Read(ref _raw);
        if (raw is not null)
        {
            return raw;
        }

        // Encoding is deterministic, so racing threads compute the same bytes and hash; the hash is published first.
        var bytes = ChangeChunk.Encode(this, out var hash);
        if (!_hashed)
        {
            _hash = hash;
            _hashed = true;
        }
        else if (hash != _hash)
        {
            throw new InvalidOperationException("Change " + _hash + " re-encodes to a different hash " + hash + ".");
        }

        return Interlocked.CompareExchange(ref _raw, bytes, null) ?? bytes;
    }

    private Op[] MaterializeOps()
    {
        var source = Volatile.Read(ref _opSource);
        if (source is null)
        {
            return Volatile.Read(ref _ops)!; // another thread materialised them
        }

        var ops = source.MaterializeOps(_opSourceIndex);
        var published = Interlocked.CompareExchange(ref _ops, ops, null) ?? ops;
        Volatile.Write(ref _opSource, null);
        return published;
    }

    /// <summary>A debugging representation.</summary>
    public override string ToString() => $"Change({Actor} seq={Seq} startOp={StartOp} ops={_opCount} deps={Deps.Count})";
}
