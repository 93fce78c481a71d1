namespace PeatMesh.Automerge.Binary;

/// <summary>Length-prefixed strict UTF-8 strings (string columns).</summary>
internal readonly struct StringCodec : IColumnValueCodec<string>
{
    public static string Read(ref ByteReader reader) => reader.ReadString();

    public static void Write(ByteWriter writer, string value) => writer.WriteString(value);

    public static bool AreEqual(string left, string right) => ReferenceEquals(left, right) || string.Equals(left, right); // ordinal
}
