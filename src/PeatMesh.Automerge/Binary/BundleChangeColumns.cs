namespace PeatMesh.Automerge.Binary;

/// <summary>Decodes a bundle chunk's change columns (see <see cref="BundleChunk"/> and <see cref="BundleColumnSpecs"/>).</summary>
/// <remarks>Stateless; thread-safe.</remarks>
internal static class BundleChangeColumns
{
    /// <summary>Decodes every change row.</summary>
    /// <exception cref="AutomergeFormatException">
    /// Malformed columns, a null where a value is required, seq or startOp 0, maxOp below startOp − 1 or above
    /// 2^32 − 1, an actor or dependency index out of range, or columns that disagree on the row count.
    /// </exception>
    public static List<BundleChangeRow> Decode(DocumentColumns columns, int actorCount, int externalDeps, int maxRows)
    {
        var actor = new RleDecoder<ulong, UInt64Codec>(columns.Get(BundleColumnSpecs.ChangeActor), "bundle change actor", maxRows);
        var seq = new DeltaDecoder(columns.Get(BundleColumnSpecs.ChangeSeq), "bundle seq", maxRows);
        var startOp = new DeltaDecoder(columns.Get(BundleColumnSpecs.ChangeStartOp), "bundle startOp", maxRows);
        var maxOp = new DeltaDecoder(columns.Get(BundleColumnSpecs.ChangeMaxOp), "bundle maxOp", maxRows);
        var time = new DeltaDecoder(columns.Get(BundleColumnSpecs.ChangeTime), "bundle time", maxRows);
        var message = new RleDecoder<string, StringCodec>(columns.Get(BundleColumnSpecs.ChangeMessage), "bundle message", maxRows);
        var depsCount = new RleDecoder<ulong, UInt64Codec>(columns.Get(BundleColumnSpecs.ChangeDepsGroup), "bundle deps group", maxRows);
        var deps = new DeltaDecoder(columns.Get(BundleColumnSpecs.ChangeDeps), "bundle deps", maxRows);
        var extraCount = new RleDecoder<ulong, UInt64Codec>(columns.Get(BundleColumnSpecs.ChangeExtraGroup), "bundle extra group", maxRows);
        var extraRaw = new ByteReader(columns.Get(BundleColumnSpecs.ChangeExtra));

        var rows = new List<BundleChangeRow>();
        var depScratch = new List<ulong>();
        while (!actor.IsDone)
        {
            if (!actor.TryNext(out var actorIndex) || actorIndex >= (ulong)actorCount)
            {
                throw new AutomergeFormatException("Bundle change actor is null or not one of the bundle's " + actorCount + " actors.");
            }

            var seqValue = Required(ref seq, "seq");
            var startOpValue = Required(ref startOp, "startOp");
            var maxOpValue = Required(ref maxOp, "maxOp");
            if (seqValue == 0 || startOpValue == 0 || maxOpValue + 1 < startOpValue || maxOpValue > ChangeOpColumns.MaxCounter)
            {
                throw new AutomergeFormatException("Bundle change " + rows.Count + " has seq " + seqValue + ", startOp " + startOpValue + ", maxOp " + maxOpValue + ".");
            }

            var timeValue = time.TryNext(out var t) ? t : 0;
            var text = message.TryNext(out var m) && m.Length > 0 ? m : null;
            var count = depsCount.TryNext(out var c) ? c : 0;
            if (count > (ulong)maxRows)
            {
                throw new AutomergeFormatException("Bundle deps count " + count + " is too large.");
            }

            // Decoded into a list that grows as deps really decode: the count comes from a run-length encoded column, so
            // a few bytes can claim millions.
            depScratch.Clear();
            for (ulong i = 0; i < count; i++)
            {
                var dep = Required(ref deps, "deps");
                if (dep >= (ulong)maxRows + (ulong)externalDeps)
                {
                    throw new AutomergeFormatException("Bundle dependency index " + dep + " is out of range.");
                }

                depScratch.Add(dep);
            }

            var depIndices = depScratch.ToArray();

            var extraLength = extraCount.TryNext(out var e) ? e : 0;
            if (extraLength > (ulong)extraRaw.Remaining)
            {
                throw new AutomergeFormatException("Bundle extra bytes length " + extraLength + " exceeds the extra bytes column.");
            }

            var extra = extraRaw.ReadBytes((int)extraLength).ToArray();
            rows.Add(new BundleChangeRow((int)actorIndex, seqValue, startOpValue, maxOpValue, timeValue, text, depIndices, extra));
        }

        if (!(seq.IsDone && startOp.IsDone && maxOp.IsDone && time.IsDone && message.IsDone && depsCount.IsDone && deps.IsDone
            && extraCount.IsDone && extraRaw.IsEnd))
        {
            throw new AutomergeFormatException("Bundle change columns hold more rows than the actor column.");
        }

        foreach (var row in rows)
        {
            foreach (var dep in row.Deps)
            {
                if (dep >= (ulong)rows.Count + (ulong)externalDeps)
                {
                    throw new AutomergeFormatException("Bundle dependency index " + dep + " is neither a change of the bundle nor an external dependency.");
                }
            }
        }

        return rows;
    }

    private static ulong Required(ref DeltaDecoder column, string name)
    {
        if (!column.TryNext(out var value) || value < 0)
        {
            throw new AutomergeFormatException("Bundle " + name + " column: missing or negative value.");
        }

        return (ulong)value;
    }
}
