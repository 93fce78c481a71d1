using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.OpSet;

/// <summary>
/// Checks that every predecessor of a change's ops is one a document chunk can record (Automerge binary format §3):
/// a document stores no pred lists, only succ lists on op rows, and rebuilds a delete from the (object, key) group in
/// which its id appears as a successor. So a pred must name a stored op (a set, make or mark — not a delete or an
/// increment) of the same object and the same key group: the same map key, or the same sequence element (the
/// element's insert op and the later ops on it). Automerge JS only writes such preds.
/// </summary>
/// <remarks>
/// Automerge 3.x silently ignores other preds when applying, and then saves a document whose changes no longer hash
/// to its heads; rejecting them instead keeps every applied history savable (see the save ADR). Stateless; thread-safe.
/// </remarks>
internal static class PredecessorCheck
{
    /// <summary>Throws when an op of <paramref name="change"/> names a predecessor a document cannot represent.</summary>
    /// <param name="store">The op set the change is about to be applied to (its objects and elements already checked).</param>
    /// <param name="change">The change.</param>
    /// <exception cref="AutomergeFormatException">A predecessor is unknown, a delete or increment, or in another object or key group.</exception>
    public static void Check(OpStore store, Change change)
    {
        Dictionary<OpId, (ObjId Obj, Key Group)>? earlier = null;
        for (var i = 0; i < change.Ops.Count; i++)
        {
            var op = change.Ops[i];
            var id = change.OpIdAt(i);
            var group = op.Insert ? Key.Seq(ElemId.FromOpId(id)) : op.Key;
            var preds = op.Pred;
            for (var p = 0; p < preds.Count; p++)
            {
                ObjId predObj;
                Key predGroup;
                if (store.GetOp(preds[p]) is { } record)
                {
                    predObj = record.Obj;
                    predGroup = record.Insert ? Key.Seq(ElemId.FromOpId(record.Id)) : record.Key;
                }
                else if (earlier is not null && earlier.TryGetValue(preds[p], out var inChange))
                {
                    (predObj, predGroup) = inChange;
                }
                else
                {
                    throw Invalid(change, i, "names predecessor " + preds[p] + ", which is not a stored op (unknown, a delete or an increment)");
                }

                if (predObj != op.Obj || predGroup != group)
                {
                    throw Invalid(change, i, "names predecessor " + preds[p] + ", which is not at the same key of the same object");
                }
            }

            if (op.Action is not (OpAction.Delete or OpAction.Increment))
            {
                (earlier ??= [])[id] = (op.Obj, group);
            }
        }
    }

    private static AutomergeFormatException Invalid(Change change, int index, string what) =>
        new($"Op {index} of change {change.Actor} seq {change.Seq} {what}; a document could not record it.");
}
