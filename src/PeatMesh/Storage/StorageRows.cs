using Microsoft.Data.Sqlite;

namespace PeatMesh.Storage;

/// <summary>Turns stored rows back into values, treating anything that breaks the schema's rules as corruption.</summary>
/// <remarks>Stateless; thread-safe.</remarks>
internal static class StorageRows
{
    /// <summary>Reads a key from two text columns.</summary>
    /// <exception cref="InvalidDataException">The stored text is not a valid key.</exception>
    public static DocumentKey ReadKey(SqliteDataReader reader, int collectionColumn, int idColumn)
    {
        var collection = reader.GetString(collectionColumn);
        var id = reader.GetString(idColumn);
        return DocumentKey.TryCreate(collection, id, out var key)
            ? key
            : throw new InvalidDataException("The database holds an invalid document key; the file is damaged.");
    }

    /// <summary>Reads <c>deleted_at_ms, lamport, deleted_by, reason, direction</c> starting at <paramref name="firstColumn"/>.</summary>
    /// <exception cref="InvalidDataException">The direction byte is not defined.</exception>
    public static Tombstone ReadTombstone(SqliteDataReader reader, DocumentKey key, int firstColumn)
    {
        var deletedAtMs = reader.GetInt64(firstColumn);
        var lamport = unchecked((ulong)reader.GetInt64(firstColumn + 1));
        var deletedBy = reader.GetString(firstColumn + 2);
        var reason = reader.IsDBNull(firstColumn + 3) ? null : reader.GetString(firstColumn + 3);
        var direction = reader.GetInt64(firstColumn + 4);
        if (direction is < 0 or > (long)TombstoneDirection.SystemWide)
        {
            throw new InvalidDataException($"The tombstone of {key} has undefined direction {direction}; the file is damaged.");
        }

        return new Tombstone(key, FromUnixMilliseconds(deletedAtMs, key), lamport, deletedBy, reason, (TombstoneDirection)direction);
    }

    /// <summary>Converts stored Unix milliseconds to a UTC time.</summary>
    /// <exception cref="InvalidDataException">The value is outside the range <see cref="DateTimeOffset"/> can hold.</exception>
    public static DateTimeOffset FromUnixMilliseconds(long milliseconds, DocumentKey key)
    {
        const long Min = -62_135_596_800_000; // 0001-01-01T00:00:00Z
        const long Max = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
        return milliseconds is >= Min and <= Max
            ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
            : throw new InvalidDataException($"The timestamp stored for {key} is out of range; the file is damaged.");
    }
}
