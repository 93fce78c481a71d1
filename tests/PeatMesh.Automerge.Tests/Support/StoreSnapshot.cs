using System.Globalization;
using System.Text;
using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.OpSet;

namespace PeatMesh.Automerge.Tests.Support;

/// <summary>
/// A complete, deterministic description of a document's internal state — every object, every stored op with its
/// visibility counters, every sequence element in order with its counted widths, the sequence trees' totals, and the
/// change graph — so two ways of building a document can be compared exactly.
/// </summary>
internal static class StoreSnapshot
{
    public static string Describe(AutomergeDocument doc)
    {
        var text = new StringBuilder();
        var store = doc.Store;
        text.Append("maxOp ").Append(store.MaxOp).Append(" ops ").Append(store.OpCount).AppendLine();
        foreach (var state in store.Objects.OrderBy(o => o.Id))
        {
            text.Append(state.Id).Append(' ').Append(state.Type).AppendLine();
            if (state is MapState map)
            {
                foreach (var (key, ops) in map.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
                {
                    text.Append("  ").Append(key).Append(':');
                    foreach (var op in ops)
                    {
                        Append(text, op);
                    }

                    text.AppendLine();
                }
            }
            else
            {
                var sequence = (SequenceState)state;
                var tree = sequence.Tree;
                text.Append(CultureInfo.InvariantCulture, $"  marks {sequence.MarkCount} total {tree.Total} visible {tree.VisibleCount} width {tree.Width} cp {tree.CodePointWidth}").AppendLine();
                var position = 0;
                foreach (var element in tree.All())
                {
                    Assert.Equal(position++, SequenceTree.PositionOf(element));
                    text.Append(CultureInfo.InvariantCulture, $"  {element.Id} v{(element.CountedVisible ? 1 : 0)} w{element.CountedWidth} c{element.CountedCodePoints} insert");
                    Append(text, element.InsertOp);
                    text.Append(" ops");
                    foreach (var op in element.Ops)
                    {
                        Append(text, op);
                    }

                    text.AppendLine();
                }
            }
        }

        var graph = doc.Graph;
        text.Append("heads ").AppendJoin(',', graph.Heads).AppendLine();
        for (var i = 0; i < graph.Count; i++)
        {
            var change = graph.Changes[i];
            text.Append(CultureInfo.InvariantCulture, $"{change.Hash} deps [{string.Join(",", graph.DepsOf(i).ToArray())}] actor {change.Actor} seq {change.Seq} state {graph.GetActor(change.Actor)}").AppendLine();
        }

        return text.ToString();
    }

    private static void Append(StringBuilder text, OpRecord op) =>
        text.Append(CultureInfo.InvariantCulture, $" {op.Id}/{op.Action}/{op.Value}/h{op.Hiders}/i{op.Increments}/{op.Key}{(op is MarkOpRecord mark ? "/" + mark.Name + "/" + mark.Expand : string.Empty)}");
}
