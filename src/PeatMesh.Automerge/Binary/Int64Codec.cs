namespace PeatMesh.Automerge.Binary;

/// <summary>sLEB128 values (the deltas of delta columns).</summary>
internal readonly struct Int64Codec : IColumnValueCodec<long>
{
    public static long Read(ref ByteReader reader) => reader.ReadInt64();

    public static void Write(ByteWriter writer, long value) => writer.WriteInt64(value);

    public static bool AreEqual(long left, long right) => left == right;
}
