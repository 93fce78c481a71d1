namespace PeatMesh.Automerge.Binary;

/// <summary>uLEB128 values (integer, actor, group and value-metadata columns).</summary>
internal readonly struct UInt64Codec : IColumnValueCodec<ulong>
{
    public static ulong Read(ref ByteReader reader) => reader.ReadUInt64();

    public static void Write(ByteWriter writer, ulong value) => writer.WriteUInt64(value);

    public static bool AreEqual(ulong left, ulong right) => left == right;
}
