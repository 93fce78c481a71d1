using System.Buffers;
using System.Runtime.CompilerServices;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Rebuilds the changes of a document chunk (Automerge binary format §3 "Doc → changes"): assigns each op (stored or
/// synthesized delete) to the change of its actor whose counter range contains it, then encodes every change
/// canonically from the op rows — without building <see cref="Op"/> objects — to compute its hash, resolving
/// dependency indices to hashes and deriving startOp from maxOp.
/// </summary>
/// <remarks>
/// Not thread-safe; used once per document chunk. For documents of many changes <see cref="Finish"/> has a pool thread
/// encode the later half of the changes while the calling thread encodes and hashes the earlier half; it returns (or
/// throws) only after that thread is done.
/// </remarks>
internal sealed class DocumentChangeBuilder
{
    /// <summary>
    /// The rebuilt changes keep their encoded chunks (instead of the document's rows) when they hold at least this many
    /// ops on average: a change encodes to ~100 bytes plus a few bytes per op, a row takes 64 bytes per op, so documents
    /// of large changes are smaller as chunks and documents of one-op changes as rows.
    /// </summary>
    internal const int KeepEncodedMinOpsPerChange = 4;

    // Changes with fewer ops are encoded op by op: a batch's column-at-a-time pass only pays off over several ops.
    private const int BatchThreshold = 8;

    private readonly DocumentActors _actors;
    private readonly DocumentChangeRow[] _rows;
    private readonly int[] _depStart;
    private readonly int[] _depIndex;
    private readonly int[] _rankOf;
    private readonly int[][] _changesByRank;
    private readonly ulong[][] _maxOpsByRank;
    private readonly int[]?[] _positionByCounter;
    private readonly int[] _counts;
    private int _lastRank = -1, _lastChange;
    private ulong _lastLow, _lastHigh;

    /// <summary>Groups the change rows by actor, checking that maxOp never decreases within an actor.</summary>
    /// <exception cref="AutomergeFormatException">Changes out of order.</exception>
    public DocumentChangeBuilder(DocumentActors actors, DocumentChangeTable table)
    {
        var rows = table.Rows;
        _actors = actors;
        _rows = rows;
        _depStart = table.DepStart;
        _depIndex = table.DepIndex;
        _rankOf = new int[rows.Length];
        _counts = new int[rows.Length];
        var perRank = new int[actors.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            _rankOf[i] = actors.RankOf((ulong)rows[i].Actor);
            perRank[_rankOf[i]]++;
        }

        _changesByRank = new int[actors.Count][];
        _maxOpsByRank = new ulong[actors.Count][];
        for (var r = 0; r < perRank.Length; r++)
        {
            _changesByRank[r] = new int[perRank[r]];
            _maxOpsByRank[r] = new ulong[perRank[r]];
            perRank[r] = 0;
        }

        for (var i = 0; i < rows.Length; i++)
        {
            var rank = _rankOf[i];
            var k = perRank[rank]++;
            if (k > 0 && _maxOpsByRank[rank][k - 1] > rows[i].MaxOp)
            {
                throw new AutomergeFormatException("Changes out of order: maxOp decreases for actor " + actors.Sorted[rank] + ".");
            }

            _changesByRank[rank][k] = i;
            _maxOpsByRank[rank][k] = rows[i].MaxOp;
        }

        _positionByCounter = new int[]?[actors.Count];
        for (var r = 0; r < actors.Count; r++)
        {
            _positionByCounter[r] = PositionByCounter(_maxOpsByRank[r]);
        }
    }

    /// <summary>
    /// For an actor of many changes whose counters are dense (maxOp at most 32 per change, as when every edit is its own
    /// change): for each counter 1..maxOp, the position of the change covering it, so that an op finds its change with
    /// one read instead of a binary search. Null otherwise: the table would be large for few changes, or over 2^24
    /// entries (64 MiB).
    /// </summary>
    private static int[]? PositionByCounter(ulong[] maxOps)
    {
        if (maxOps.Length < 64 || maxOps[^1] > 32UL * (ulong)maxOps.Length || maxOps[^1] > 1UL << 24)
        {
            return null;
        }

        var table = new int[(int)maxOps[^1] + 1];
        var counter = 1;
        for (var k = 0; k < maxOps.Length; k++)
        {
            for (; (ulong)counter <= maxOps[k]; counter++)
            {
                table[counter] = k;
            }
        }

        return table;
    }

    /// <summary>Assigns the op with packed id <paramref name="id"/> to its change and returns the change's index.</summary>
    /// <exception cref="AutomergeFormatException">No change of that actor covers the counter.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Assign(ulong id)
    {
        var rank = (int)PackedOpId.Actor(id);
        var counter = PackedOpId.Counter(id);
        if (rank == _lastRank && counter > _lastLow && counter <= _lastHigh)
        {
            _counts[_lastChange]++;
            return _lastChange; // the same change as the previous op (it covers counters lastLow + 1 .. lastHigh)
        }

        return Find(id, rank, counter);
    }

    private int Find(ulong id, int rank, ulong counter)
    {
        var maxOps = _maxOpsByRank[rank];
        int lo = 0, hi = maxOps.Length;
        if (_positionByCounter[rank] is { } table)
        {
            // The first position whose maxOp ≥ counter, as the binary search below finds it.
            lo = counter < (ulong)table.Length ? table[(int)counter] : maxOps.Length;
            hi = lo;
        }

        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (maxOps[mid] < counter)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        if (lo == maxOps.Length)
        {
            throw new AutomergeFormatException("Op " + _actors.ToOpId(id) + " belongs to no change (missing change).");
        }

        var change = _changesByRank[rank][lo];
        _counts[change]++;
        _lastRank = rank;
        _lastLow = lo == 0 ? 0 : maxOps[lo - 1];
        _lastHigh = maxOps[lo];
        _lastChange = change;
        return change;
    }

    /// <summary>
    /// Checks every change, groups the ops by change in counter order (<see cref="DocumentOps.ChangeOps"/>), and encodes
    /// the changes in column order to compute their hashes.
    /// </summary>
    /// <returns>
    /// The changes (created on first read); their heads (hashes no other change depends on; two changes never share a
    /// hash, since the per-actor seq check rejects a repeated actor and seq); and each change's dependency positions in
    /// the order of its sorted deps (<c>DepIndex[DepStart[c]..DepStart[c + 1]]</c>).
    /// </returns>
    /// <exception cref="AutomergeFormatException">Per-actor seq not 1, 2, 3, …; ops not contiguous up to maxOp; a dependency on a later or missing change.</exception>
    public (LoadedChanges Changes, HashSet<ChangeHash> Heads, int[] DepStart, int[] DepIndex) Finish(DocumentOps ops)
    {
        CheckSeq();
        var count = _rows.Length;
        var startOp = new ulong[count];
        var opStart = new int[count + 1];
        var valid = new bool[count];
        for (var c = 0; c < count; c++)
        {
            opStart[c + 1] = opStart[c] + _counts[c];
            valid[c] = (ulong)_counts[c] <= _rows[c].MaxOp;
            startOp[c] = valid[c] ? _rows[c].MaxOp - (ulong)_counts[c] + 1 : 0;
        }

        // Place each op at its counter's offset in its change: the ops are contiguous up to maxOp exactly when every
        // slot is taken once.
        var changeOps = new int[opStart[count]];
        Array.Fill(changeOps, -1);
        var rows = ops.Rows;
        for (var r = 0; r < ops.Count; r++)
        {
            var c = rows[r].Change;
            var offset = PackedOpId.Counter(rows[r].Id) - startOp[c];
            if (!valid[c] || PackedOpId.Counter(rows[r].Id) < startOp[c] || offset >= (ulong)_counts[c] || changeOps[opStart[c] + (int)offset] >= 0)
            {
                valid[c] = false;
                continue;
            }

            changeOps[opStart[c] + (int)offset] = r;
        }

        ops.ChangeOpStart = opStart;
        ops.ChangeOps = changeOps;

        var (depStart, depIndex) = (_depStart, _depIndex);
        var dependedOn = new bool[count];
        var (checkedCount, checkError) = Check(startOp, valid, dependedOn);

        // Every change is encoded and hashed in order (a change's deps are the hashes of earlier ones). With many changes,
        // a second thread encodes the later part, without deps, while this one encodes and hashes the earlier part; this
        // thread then hashes the later part with its deps (ADR 0025). The first failing change is reported either way.
        var keepEncoded = opStart[count] >= (long)KeepEncodedMinOpsPerChange * count;
        var job = new EncodeJob(this, ops, startOp, opStart, changeOps, depStart, depIndex, keepEncoded ? new byte[count][] : null);
        var split = checkedCount >= ParallelEncodeMinChanges && Environment.ProcessorCount > 1 ? checkedCount / 2 : checkedCount;
        var later = split < checkedCount ? new LaterChanges(job, split, checkedCount) : null;
        later?.Start();
        try
        {
            job.EncodeAndHash(0, split);
        }
        catch
        {
            later?.Abandon(); // the rows may go back to their pool once the load fails: let no thread still read them
            throw;
        }

        later?.HashAll();
        if (checkError is not null)
        {
            throw checkError;
        }

        ops.AllChangesEncoded = keepEncoded;
        var changes = new LoadedChanges(_actors, _rows, _rankOf, startOp, _counts, job.Hashes, depStart, depIndex, keepEncoded ? null : ops, job.Chunks);
        return (changes, Heads(job.Hashes, dependedOn), depStart, depIndex);
    }

    /// <summary>At least this many changes are encoded on two threads (fewer: the handoff costs more than it saves).</summary>
    internal const int ParallelEncodeMinChanges = 4096;

    /// <summary>
    /// Checks the changes in order (op count within maxOp, ops contiguous, startOp in range, deps on earlier changes)
    /// and marks the changes depended on; returns how many passed before the first failure, and its error.
    /// </summary>
    private (int Checked, AutomergeFormatException? Error) Check(ulong[] startOp, bool[] valid, bool[] dependedOn)
    {
        for (var c = 0; c < _rows.Length; c++)
        {
            ref readonly var row = ref _rows[c];
            if ((ulong)_counts[c] > row.MaxOp)
            {
                return (c, new AutomergeFormatException("Incorrect max op: change " + c + " has " + _counts[c] + " ops but maxOp " + row.MaxOp + "."));
            }

            if (!valid[c])
            {
                return (c, new AutomergeFormatException("Missing ops in change " + c + ": ops are not contiguous up to maxOp " + row.MaxOp + "."));
            }

            if (startOp[c] > ChangeOpColumns.MaxCounter)
            {
                return (c, new AutomergeFormatException("Change startOp too large (counter too large)."));
            }

            for (var k = _depStart[c]; k < _depStart[c + 1]; k++)
            {
                var dep = _depIndex[k];
                if (dep >= c)
                {
                    return (c, new AutomergeFormatException("Change " + c + " depends on change " + dep + ", which does not precede it (missing change)."));
                }

                dependedOn[dep] = true;
            }
        }

        return (_rows.Length, null);
    }

    /// <summary>What encoding and hashing the changes share: the inputs, and the hashes (and chunks) produced in order.</summary>
    private sealed class EncodeJob(DocumentChangeBuilder builder, DocumentOps ops, ulong[] startOp, int[] opStart, int[] changeOps,
        int[] depStart, int[] depIndex, byte[][]? chunks)
    {
        public ChangeHash[] Hashes { get; } = new ChangeHash[startOp.Length];

        public byte[][]? Chunks => chunks;

        public int ActorCount => builder._actors.Count;

        /// <summary>A guess at the encoded size of changes <paramref name="from"/>..<paramref name="to"/>-1 after their deps, in bytes.</summary>
        public int EstimatedAfterDepsSize(int from, int to) =>
            (int)Math.Min(Array.MaxLength / 2, 80L * (to - from) + 8L * (opStart[to] - opStart[from]));

        /// <summary>Encodes changes <paramref name="from"/>..<paramref name="to"/>-1 with their deps and hashes them, on this thread.</summary>
        /// <exception cref="AutomergeFormatException">A change cannot be encoded.</exception>
        public void EncodeAndHash(int from, int to)
        {
            var encoder = ChangeEncoder.Shared;
            var context = new EncodeContext(ActorCount);
            Span<ChangeHash> small = stackalloc ChangeHash[8];
            for (var c = from; c < to; c++)
            {
                var deps = SortedDeps(c, small);
                try
                {
                    Encode(c, encoder, context);
                    encoder.WriteDeps(deps);
                    WriteAfterDeps(c, encoder, context);
                }
                catch (ArgumentException e)
                {
                    throw CannotRebuild(c, e);
                }

                Hashes[c] = encoder.ComputeHash();
                if (chunks is not null)
                {
                    chunks[c] = encoder.ToChunk(Hashes[c]);
                }
            }
        }

        /// <summary>Encodes change <paramref name="c"/>'s ops into <paramref name="encoder"/> (after Begin).</summary>
        /// <exception cref="ArgumentException">A string is not valid Unicode.</exception>
        public void Encode(int c, ChangeEncoder encoder, EncodeContext context)
        {
            var members = changeOps.AsSpan(opStart[c], opStart[c + 1] - opStart[c]);
            context.Others.Collect(builder._rankOf[c], members, ops);
            encoder.Begin();
            if (members.Length < BatchThreshold)
            {
                foreach (var r in members)
                {
                    AppendOp(encoder, ops, r, context.Others);
                }
            }
            else
            {
                AppendBatched(encoder, context.Batch ??= new ChangeOpBatch(), ops, members, context.Others);
            }
        }

        /// <summary>Writes change <paramref name="c"/>'s body after its deps (see <see cref="ChangeEncoder.WriteBodyAfterDeps"/>).</summary>
        /// <exception cref="ArgumentException">A string is not valid Unicode.</exception>
        public void WriteAfterDeps(int c, ChangeEncoder encoder, EncodeContext context) =>
            encoder.WriteBodyAfterDeps(Author(c), builder._rows[c].Seq, startOp[c], builder._rows[c].Time, builder._rows[c].Message,
                context.Others.Actors(builder._actors.Sorted), builder._rows[c].Extra);

        /// <summary>
        /// Hashes change <paramref name="c"/> from the part of its body after the deps: SHA-256 of type 1 ‖ uLEB body length ‖
        /// uLEB deps count ‖ deps ‖ <paramref name="afterDeps"/>, the deps being the hashes of earlier changes.
        /// </summary>
        public void HashWithDeps(int c, ReadOnlySpan<byte> afterDeps, Span<ChangeHash> small)
        {
            var deps = SortedDeps(c, small);
            var depsLength = Leb128.UnsignedLength((ulong)deps.Length) + deps.Length * ChangeHash.Size;
            var bodyLength = (ulong)(depsLength + afterDeps.Length);
            var prefixLength = 1 + Leb128.UnsignedLength(bodyLength) + depsLength;
            var prefix = prefixLength <= 512 ? stackalloc byte[prefixLength] : new byte[prefixLength];
            prefix[0] = (byte)ChunkType.Change;
            var at = 1 + Leb128.WriteUnsigned(prefix[1..], bodyLength);
            at += Leb128.WriteUnsigned(prefix[at..], (ulong)deps.Length);
            foreach (var dep in deps)
            {
                dep.WriteTo(prefix.Slice(at, ChangeHash.Size));
                at += ChangeHash.Size;
            }

            Span<byte> digest = stackalloc byte[ChangeHash.Size];
            Sha256Hasher.Shared.Hash(prefix, afterDeps, digest);
            Hashes[c] = ChangeHash.FromBytes(digest);
            if (chunks is not null)
            {
                chunks[c] = ChunkContainer.Assemble(Hashes[c], prefix, afterDeps);
            }
        }

        public static AutomergeFormatException CannotRebuild(int c, Exception e) =>
            new("Change " + c + " cannot be rebuilt: " + e.Message, e);

        private ActorId Author(int c) => builder._actors.Sorted[builder._rankOf[c]];

        /// <summary>Change c's deps (hashes of earlier changes) sorted, with its dependency positions sorted alongside.</summary>
        private ReadOnlySpan<ChangeHash> SortedDeps(int c, Span<ChangeHash> small)
        {
            var positions = depIndex.AsSpan(depStart[c], depStart[c + 1] - depStart[c]);
            var deps = positions.Length <= small.Length ? small[..positions.Length] : new ChangeHash[positions.Length];
            for (var d = 0; d < positions.Length; d++)
            {
                deps[d] = Hashes[positions[d]];
            }

            if (deps.Length > 1)
            {
                deps.Sort(positions);
            }

            return deps;
        }
    }

    /// <summary>One thread's scratch state for encoding changes.</summary>
    private sealed class EncodeContext(int actorCount)
    {
        public ChangeActors Others { get; } = new(actorCount);

        public ChangeOpBatch? Batch { get; set; }
    }

    /// <summary>
    /// The later changes <c>from..to-1</c>: encoded without their deps by a pool thread (or by the loading thread, if no
    /// pool thread has started by the time it needs them) into one buffer, then hashed in order by the loading thread.
    /// </summary>
    private sealed class LaterChanges(EncodeJob job, int from, int to)
    {
        private readonly int[] _end = new int[to - from];
        // Pooled: a repeated load of a large document reuses it instead of faulting in ~10 MB of fresh memory.
        private byte[] _encoded = ArrayPool<byte>.Shared.Rent(job.EstimatedAfterDepsSize(from, to));
        private int _encodedLength;
        private ClaimableWork? _work;
        private int _failedAt = -1;
        private ArgumentException? _failure;

        public void Start() => _work = new ClaimableWork(Encode);

        /// <summary>Waits for (or does) the encoding, then hashes every change in order.</summary>
        /// <exception cref="AutomergeFormatException">A change cannot be encoded (the first such change).</exception>
        public void HashAll()
        {
            _work!.Join(); // encodes here if no pool thread got to it

            try
            {
                Span<ChangeHash> small = stackalloc ChangeHash[8];
                var written = _encoded.AsSpan(0, _encodedLength);
                var start = 0;
                for (var c = from; c < to; c++)
                {
                    if (c == _failedAt)
                    {
                        throw EncodeJob.CannotRebuild(c, _failure!);
                    }

                    var end = _end[c - from];
                    job.HashWithDeps(c, written[start..end], small);
                    start = end;
                }
            }
            finally
            {
                ReturnBuffer();
            }
        }

        /// <summary>Makes sure no thread encodes these changes any more (waits for one that started; its errors are moot).</summary>
        public void Abandon()
        {
            _work?.JoinQuietly(); // the load is failing already with an earlier change's error
            ReturnBuffer();
        }

        private void ReturnBuffer()
        {
            ArrayPool<byte>.Shared.Return(_encoded);
            _encoded = [];
        }

        private void Append(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length > _encoded.Length - _encodedLength)
            {
                var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Array.MaxLength, Math.Max(2L * _encoded.Length, (long)_encodedLength + bytes.Length)));
                _encoded.AsSpan(0, _encodedLength).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_encoded);
                _encoded = larger;
            }

            bytes.CopyTo(_encoded.AsSpan(_encodedLength));
            _encodedLength += bytes.Length;
        }

        private void Encode()
        {
            var encoder = ChangeEncoder.Shared;
            var context = new EncodeContext(job.ActorCount);
            for (var c = from; c < to; c++)
            {
                try
                {
                    job.Encode(c, encoder, context);
                    job.WriteAfterDeps(c, encoder, context);
                }
                catch (ArgumentException e)
                {
                    _failedAt = c; // the loading thread reports it when it gets there
                    _failure = e;
                    return;
                }

                Append(encoder.Body);
                _end[c - from] = _encodedLength;
            }
        }
    }

    private void CheckSeq()
    {
        for (var stored = 0; stored < _actors.Count; stored++)
        {
            var rank = _actors.RankOf((ulong)stored);
            var list = _changesByRank[rank];
            for (var k = 0; k < list.Length; k++)
            {
                if (_rows[list[k]].Seq != (ulong)k + 1)
                {
                    throw new AutomergeFormatException("Changes out of order: actor " + _actors.Sorted[rank] + " has seq " + _rows[list[k]].Seq + " at position " + (k + 1) + ".");
                }
            }
        }
    }

    private static void AppendOp(ChangeEncoder encoder, DocumentOps ops, int index, ChangeActors others)
    {
        ref readonly var row = ref ops.Rows[index];
        var objActor = row.Obj == 0 ? 0 : others.LocalIndex(PackedOpId.Actor(row.Obj));
        var keyActor = row.MapKey is not null || row.Elem == 0 ? 0 : others.LocalIndex(PackedOpId.Actor(row.Elem));
        encoder.AppendOp(objActor, PackedOpId.Counter(row.Obj), row.MapKey, keyActor, PackedOpId.Counter(row.Elem), row.Insert,
            row.Action, row.Value, row.PredCount, row.Expand, ops.HasMarkNames ? ops.MarkNameOf(index) : null);
        foreach (var p in ops.PredsOf(row))
        {
            var pred = ops.Rows[p].Id;
            encoder.AppendPred(others.LocalIndex(PackedOpId.Actor(pred)), PackedOpId.Counter(pred));
        }
    }

    /// <summary>Appends the ops through batches, one call per batch (so that the per-op loop is optimised early).</summary>
    private static void AppendBatched(ChangeEncoder encoder, ChangeOpBatch batch, DocumentOps ops, ReadOnlySpan<int> members, ChangeActors others)
    {
        for (var start = 0; start < members.Length; start += ChangeOpBatch.Capacity)
        {
            FillBatch(batch, ops, members.Slice(start, Math.Min(ChangeOpBatch.Capacity, members.Length - start)), others);
            encoder.AppendBatch(batch);
            batch.Clear();
        }
    }

    /// <summary>Writes the batch's columns straight from the rows of <paramref name="block"/> (at most a batch).</summary>
    private static void FillBatch(ChangeOpBatch batch, DocumentOps ops, ReadOnlySpan<int> block, ChangeActors others)
    {
        var rows = ops.Rows;
        var preds = ops.PredRows;
        var marks = ops.HasMarkNames;
        var objActor = batch.ObjActor.AsSpan(0, block.Length);
        var objCounter = batch.ObjCounter.AsSpan(0, block.Length);
        var keyActor = batch.KeyActor.AsSpan(0, block.Length);
        var keyCounter = batch.KeyCounter.AsSpan(0, block.Length);
        var keyString = batch.KeyString.AsSpan(0, block.Length);
        var insert = batch.Insert.AsSpan(0, block.Length);
        var action = batch.Action.AsSpan(0, block.Length);
        var predGroup = batch.PredGroup.AsSpan(0, block.Length);
        var expand = batch.Expand.AsSpan(0, block.Length);
        var markName = batch.MarkName.AsSpan(0, block.Length);
        for (var k = 0; k < block.Length; k++)
        {
            var r = block[k];
            ref readonly var row = ref rows[r];
            if (row.Obj == 0)
            {
                objActor[k] = ColumnRuns.NullUInt64;
                objCounter[k] = ColumnRuns.NullUInt64;
            }
            else
            {
                objActor[k] = others.LocalIndex(PackedOpId.Actor(row.Obj));
                objCounter[k] = PackedOpId.Counter(row.Obj);
            }

            if (row.MapKey is not null)
            {
                keyActor[k] = ColumnRuns.NullUInt64;
                keyCounter[k] = ColumnRuns.NullInt64;
            }
            else if (row.Elem == 0)
            {
                keyActor[k] = ColumnRuns.NullUInt64;
                keyCounter[k] = 0;
            }
            else
            {
                keyActor[k] = others.LocalIndex(PackedOpId.Actor(row.Elem));
                keyCounter[k] = (long)PackedOpId.Counter(row.Elem);
            }

            if (row.MapKey is not null)
            {
                keyString[k] = row.MapKey; // (the batch's string columns start out null)
            }

            insert[k] = row.Insert;
            action[k] = (ulong)row.Action;
            predGroup[k] = (ulong)row.PredCount;
            expand[k] = row.Expand;
            if (marks)
            {
                markName[k] = ops.MarkNameOf(r);
            }

            batch.SetValue(k, row.Value);
            for (var p = row.PredStart; p < row.PredStart + row.PredCount; p++)
            {
                var pred = rows[preds[p]].Id;
                batch.AddPred(others.LocalIndex(PackedOpId.Actor(pred)), PackedOpId.Counter(pred));
            }
        }

        batch.SetCount(block.Length);
    }

    private static HashSet<ChangeHash> Heads(ChangeHash[] hashes, bool[] dependedOn)
    {
        var heads = new HashSet<ChangeHash>();
        for (var c = 0; c < hashes.Length; c++)
        {
            if (!dependedOn[c])
            {
                heads.Add(hashes[c]);
            }
        }

        return heads;
    }

    /// <summary>The actor table of one change being rebuilt: the author (index 0), then the other actors by rank.</summary>
    private sealed class ChangeActors(int actorCount)
    {
        private readonly int[] _local = new int[actorCount];
        private readonly int[] _stamp = new int[actorCount];
        private readonly List<int> _others = [];
        private int _generation;

        /// <summary>Collects the actors named by the ops' objects, keys and predecessors.</summary>
        public void Collect(int author, ReadOnlySpan<int> members, DocumentOps ops)
        {
            _generation++;
            _others.Clear();
            _stamp[author] = _generation;
            _local[author] = 0;
            if (_local.Length == 1)
            {
                return; // the author is the only actor
            }

            var rows = ops.Rows;
            foreach (var r in members)
            {
                ref readonly var row = ref rows[r];
                if (row.Obj != 0)
                {
                    Note(PackedOpId.Actor(row.Obj));
                }

                if (row.MapKey is null && row.Elem != 0)
                {
                    Note(PackedOpId.Actor(row.Elem));
                }

                foreach (var p in ops.PredsOf(row))
                {
                    Note(PackedOpId.Actor(rows[p].Id));
                }
            }

            _others.Sort();
            for (var i = 0; i < _others.Count; i++)
            {
                _local[_others[i]] = i + 1;
            }
        }

        /// <summary>The change-local index of an actor rank collected by <see cref="Collect"/>.</summary>
        public ulong LocalIndex(ulong rank) => (ulong)_local[(int)rank];

        /// <summary>The other actors' ids, sorted.</summary>
        public ActorId[] Actors(ActorId[] sorted)
        {
            if (_others.Count == 0)
            {
                return [];
            }

            var result = new ActorId[_others.Count];
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = sorted[_others[i]];
            }

            return result;
        }

        private void Note(ulong rank)
        {
            if (_stamp[rank] != _generation)
            {
                _stamp[rank] = _generation;
                _others.Add((int)rank);
            }
        }
    }
}
