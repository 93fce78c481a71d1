using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.OpSet;

/// <summary>
/// Checks that a change can be stored in a document chunk and rebuilt from it unchanged (Automerge binary format §3):
/// a document stores no pred lists and no delete ops, only succ lists on op rows, and rebuilds each delete from the
/// (object, key) group in which its id appears as a successor, with a null value. So every pred must name a stored op
/// (a set, make or mark — not a delete or an increment) of the same object and the same key group (the same map key,
/// or the same sequence element: the element's insert op and the later ops on it); and a delete must name at least one
/// pred, and carry no value, expand flag or mark name. Automerge JS only writes such changes.
/// </summary>
/// <remarks>
/// Automerge 3.x silently drops what does not fit when applying, and then saves a document whose changes no longer
/// hash to its heads; rejecting such changes instead keeps every applied history savable (see the save ADR).
/// Stateless; thread-safe.
/// </remarks>
internal static class StorableChangeCheck
{
    /// <summary>Throws when an op of <paramref name="change"/> could not be recorded in a document chunk.</summary>
    /// <param name="store">The op set the change is about to be applied to (its objects and elements already checked).</param>
    /// <param name="change">The change.</param>
    /// <exception cref="AutomergeFormatException">
    /// A predecessor is unknown, a delete or increment, or in another object or key group; or a delete has no
    /// predecessor, a value, an expand flag or a mark name.
    /// </exception>
    public static void Check(OpStore store, Change change)
    {
        Dictionary<OpId, (ObjId Obj, Key Group)>? earlier = null;
        for (var i = 0; i < change.Ops.Count; i++)
        {
            var op = change.Ops[i];
            var id = change.OpIdAt(i);
            var group = op.Insert ? Key.Seq(ElemId.FromOpId(id)) : op.Key;
            var preds = op.Pred;
            if (op.Action == OpAction.Delete
                && (preds.Count == 0 || op.Value.Kind != ScalarKind.Null || op.Expand || op.MarkName is not null))
            {
                throw Invalid(change, i, "is a delete without predecessors or with a value, expand flag or mark name");
            }

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
