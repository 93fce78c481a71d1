using System.Diagnostics.CodeAnalysis;

namespace PeatMesh.Storage;

/// <summary>
/// Names one document: a collection and an id, written on the wire as <c>collection:id</c> (the
/// reference's doc_key; the collection is the text before the first <c>:</c>).
/// </summary>
/// <remarks>
/// Immutable value type; thread-safe. Collections are 1–64 characters of <c>[A-Za-z0-9_.-]</c>;
/// ids are 1–256 characters of <c>[A-Za-z0-9_.~:@-]</c>. Both rules keep keys safe in URL path
/// segments, log lines and SQL, and make the <c>collection:id</c> split unambiguous.
/// </remarks>
public readonly record struct DocumentKey
{
    /// <summary>Maximum collection length in characters (64).</summary>
    public const int MaxCollectionLength = 64;

    /// <summary>Maximum document id length in characters (256).</summary>
    public const int MaxIdLength = 256;

    private DocumentKey(string collection, string id)
    {
        Collection = collection;
        Id = id;
    }

    /// <summary>The collection name.</summary>
    public string Collection { get; }

    /// <summary>The document id within the collection.</summary>
    public string Id { get; }

    /// <summary>Creates a key after validating both parts.</summary>
    /// <exception cref="ArgumentException">A part is empty, too long or has a disallowed character.</exception>
    public static DocumentKey Create(string collection, string id)
    {
        if (!IsValidCollection(collection))
        {
            throw new ArgumentException("Invalid collection name: 1-64 characters of [A-Za-z0-9_.-].", nameof(collection));
        }

        if (!IsValidId(id))
        {
            throw new ArgumentException("Invalid document id: 1-256 characters of [A-Za-z0-9_.~:@-].", nameof(id));
        }

        return new DocumentKey(collection, id);
    }

    /// <summary>Validates and creates a key without throwing.</summary>
    public static bool TryCreate(string? collection, string? id, out DocumentKey key)
    {
        if (IsValidCollection(collection) && IsValidId(id))
        {
            key = new DocumentKey(collection, id);
            return true;
        }

        key = default;
        return false;
    }

    /// <summary>Parses the wire form <c>collection:id</c>.</summary>
    public static bool TryParse(string? docKey, out DocumentKey key)
    {
        key = default;
        var colon = docKey?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return colon > 0 && TryCreate(docKey![..colon], docKey[(colon + 1)..], out key);
    }

    /// <summary>Whether <paramref name="collection"/> is a valid collection name.</summary>
    public static bool IsValidCollection([NotNullWhen(true)] string? collection) =>
        collection is { Length: > 0 and <= MaxCollectionLength } && collection.AsSpan().IndexOfAnyExcept(CollectionChars) < 0;

    /// <summary>Whether <paramref name="id"/> is a valid document id.</summary>
    public static bool IsValidId([NotNullWhen(true)] string? id) =>
        id is { Length: > 0 and <= MaxIdLength } && id.AsSpan().IndexOfAnyExcept(IdChars) < 0;

    /// <summary>The wire form <c>collection:id</c>.</summary>
    public override string ToString() => Collection + ":" + Id;

    private static readonly System.Buffers.SearchValues<char> CollectionChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-");

    private static readonly System.Buffers.SearchValues<char> IdChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.~:@-");
}
