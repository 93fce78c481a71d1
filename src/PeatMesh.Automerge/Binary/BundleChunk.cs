using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Reads bundle chunks (type 3): a set of changes, not necessarily a whole document, compressed column-wise, as
/// Automerge 3.4–3.5 <c>saveBundle</c> writes them (experimental format, Rust <c>storage/bundle</c>; read-only here).
/// </summary>
/// <remarks>
/// <para>Body: external deps (uLEB count + 32-byte hashes: dependencies outside the bundle); actors (uLEB count +
/// length-prefixed ids); change column metadata then data; op column metadata then data (columns ≥ 256 bytes may be
/// raw-DEFLATEd). Change columns (<see cref="BundleColumnSpecs"/>): actor, seq, startOp, maxOp, time, message, deps
/// (a group; an index below the change count is a change of the bundle, which must come earlier, otherwise an entry
/// of the external deps) and extra bytes (a group of lengths and the bytes). Op columns: every op of every change,
/// deletes included, with pred lists, in document order; op counters are not stored but derived: walking the changes
/// in (actor, seq) order and each one's counters startOp..maxOp, the k-th counter belongs to the op at position
/// <c>inverse[k]</c> of the id-counter-inverse column (or, in the legacy form, the id counter column lists them).</para>
/// <para>Ops are assigned to changes by actor and counter range and the changes rebuilt (canonical encoding, hash).
/// Bundles carry no hashes, so there is nothing to verify beyond consistency. Stateless; thread-safe.</para>
/// </remarks>
public static class BundleChunk
{
    /// <summary>Decodes a bundle chunk already read (checksum verified) by <see cref="ChunkContainer"/>.</summary>
    /// <param name="chunk">A <see cref="ChunkType.Bundle"/> chunk.</param>
    /// <returns>The bundle's changes in stored (topological) order.</returns>
    /// <exception cref="AutomergeFormatException">Not a bundle, malformed columns, or ops and changes that do not fit together.</exception>
    public static IReadOnlyList<Change> Decode(Chunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        if (chunk.Type != ChunkType.Bundle)
        {
            throw new AutomergeFormatException("Expected a bundle chunk, found a " + chunk.Type + " chunk.");
        }

        var body = chunk.Body;
        var reader = new ByteReader(body.Span);
        var externalDeps = reader.ReadChangeHashes();
        var actorCount = reader.ReadCount(minItemSize: 2);
        var actors = new ActorId[actorCount];
        for (var i = 0; i < actorCount; i++)
        {
            var bytes = reader.ReadLengthPrefixedBytes();
            if (bytes.IsEmpty || bytes.Length > ActorId.MaxLength)
            {
                throw new AutomergeFormatException("Actor ids must be 1.." + ActorId.MaxLength + " bytes, found " + bytes.Length + ".");
            }

            actors[i] = ActorId.FromBytes(bytes);
        }

        var changeMeta = ColumnMetadata.Read(ref reader, allowDeflate: true, out var changeLength, valueAfterGroup: true);
        var changeData = body.Slice(reader.Position, changeLength);
        reader.ReadBytes(changeLength);
        var opMeta = ColumnMetadata.Read(ref reader, allowDeflate: true, out var opLength);
        var opData = body.Slice(reader.Position, opLength);
        reader.ReadBytes(opLength);

        // Automerge 3.x ignores bytes after the op columns; so does this reader.
        CheckKnown(changeMeta, BundleColumnSpecs.ChangeColumns, "change");
        CheckKnown(opMeta, BundleColumnSpecs.OpColumns, "op");
        long budget = DocumentChunk.MaxInflatedLength;
        var changeColumns = DocumentColumns.Create(changeMeta, changeData, ref budget);
        var opColumns = DocumentColumns.Create(opMeta, opData, ref budget);
        var maxRows = (int)Math.Clamp(16 * (changeColumns.UncompressedLength + opColumns.UncompressedLength), ColumnLimits.MaxRows, 1L << 26);

        var rows = BundleChangeColumns.Decode(changeColumns, actors.Length, externalDeps.Length, maxRows);
        var counters = BundleOpColumns.Counters(opColumns, rows, maxRows);
        var ops = BundleOpColumns.Decode(opColumns, actors, counters, maxRows);
        return Assemble(rows, actors, externalDeps, ops);
    }

    private static void CheckKnown(RawColumn[] columns, uint[] known, string what)
    {
        foreach (var column in columns)
        {
            if (Array.IndexOf(known, column.Spec.Normalized) < 0)
            {
                throw new AutomergeFormatException("Invalid bundle " + what + " column " + column.Spec + ".");
            }
        }
    }

    private static List<Change> Assemble(List<BundleChangeRow> rows, ActorId[] actors, ChangeHash[] externalDeps, List<(int Actor, ulong Counter, Op Op)> ops)
    {
        // Each actor's changes in seq order, to find an op's change by counter range.
        var byActor = new List<int>[actors.Length];
        for (var i = 0; i < rows.Count; i++)
        {
            (byActor[rows[i].Actor] ??= []).Add(i);
        }

        foreach (var list in byActor)
        {
            list?.Sort((a, b) => rows[a].StartOp.CompareTo(rows[b].StartOp));
        }

        var opsOf = new List<(ulong Counter, Op Op)>[rows.Count];
        foreach (var (actor, counter, op) in ops)
        {
            var change = byActor[actor] is { } candidates ? FindChange(rows, candidates, counter) : -1;
            if (change < 0)
            {
                throw new AutomergeFormatException("Bundle op " + new OpId(counter, actors[actor]) + " belongs to none of the bundle's changes.");
            }

            (opsOf[change] ??= []).Add((counter, op));
        }

        var changes = new List<Change>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var changeOps = opsOf[i] ?? [];
            changeOps.Sort((a, b) => a.Counter.CompareTo(b.Counter));
            if ((ulong)changeOps.Count != row.OpCount)
            {
                throw new AutomergeFormatException("Bundle change " + i + " has " + changeOps.Count + " ops for counters " + row.StartOp + ".." + row.MaxOp + ".");
            }

            for (var k = 0; k < changeOps.Count; k++)
            {
                if (changeOps[k].Counter != row.StartOp + (ulong)k)
                {
                    throw new AutomergeFormatException("Bundle change " + i + " has two ops with counter " + changeOps[k].Counter + ".");
                }
            }

            var deps = new ChangeHash[row.Deps.Length];
            for (var d = 0; d < deps.Length; d++)
            {
                var dep = row.Deps[d];
                if (dep < (ulong)rows.Count)
                {
                    if (dep >= (ulong)i)
                    {
                        throw new AutomergeFormatException("Bundle change " + i + " depends on change " + dep + ", which does not precede it.");
                    }

                    deps[d] = changes[(int)dep].Hash;
                }
                else
                {
                    deps[d] = externalDeps[(int)(dep - (ulong)rows.Count)];
                }
            }

            try
            {
                var change = new Change(actors[row.Actor], row.Seq, row.StartOp, row.Time, row.Message, deps, changeOps.ConvertAll(o => o.Op), row.Extra);
                _ = change.Hash;
                changes.Add(change);
            }
            catch (ArgumentException e)
            {
                throw new AutomergeFormatException("Bundle change " + i + " cannot be rebuilt: " + e.Message, e);
            }
        }

        return changes;
    }

    private static int FindChange(List<BundleChangeRow> rows, List<int> candidates, ulong counter)
    {
        int lo = 0, hi = candidates.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var row = rows[candidates[mid]];
            if (counter < row.StartOp)
            {
                hi = mid - 1;
            }
            else if (counter > row.MaxOp)
            {
                lo = mid + 1;
            }
            else
            {
                return candidates[mid];
            }
        }

        return -1;
    }
}
