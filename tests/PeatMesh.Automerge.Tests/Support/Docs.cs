using System.Text.Json;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Tests.Support;

/// <summary>Helpers to build documents tersely in tests.</summary>
internal static class Docs
{
    public static AutomergeDocument New(ActorId actor) => new(actor, FixedTimeProvider.Default);

    /// <summary>
    /// Builds the document saved in <paramref name="bytes"/> by applying its changes one by one (the reference for the
    /// direct load, which builds the op set from the document's rows).
    /// </summary>
    public static AutomergeDocument Replay(byte[] bytes, ActorId? actor = null)
    {
        var doc = new AutomergeDocument(actor, FixedTimeProvider.Default);
        doc.ApplyChanges(Automerge.Binary.DocumentChunk.ReadAllChanges(bytes));
        return doc;
    }

    /// <summary>Runs <paramref name="edit"/> in a transaction and commits it.</summary>
    public static Change? Change(this AutomergeDocument doc, Action<Transaction> edit)
    {
        using var tx = doc.BeginTransaction();
        edit(tx);
        return tx.Commit();
    }

    /// <summary>Syncs two documents by exchanging all changes both ways.</summary>
    public static void MergeBoth(AutomergeDocument a, AutomergeDocument b)
    {
        a.Merge(b);
        b.Merge(a);
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Json(AutomergeDocument doc) =>
        Automerge.Json.AutomergeJson.ToJsonNode(doc).ToJsonString(JsonOptions);
}
