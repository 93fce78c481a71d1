namespace PeatMesh.Automerge.Binary;

/// <summary>How one RLE column value is read, written and compared (uLEB, sLEB or length-prefixed UTF-8).</summary>
/// <typeparam name="T">The value type.</typeparam>
internal interface IColumnValueCodec<T>
{
    /// <summary>Reads one value.</summary>
    static abstract T Read(ref ByteReader reader);

    /// <summary>Writes one value.</summary>
    static abstract void Write(ByteWriter writer, T value);

    /// <summary>Value equality as the RLE encoder uses it to form runs.</summary>
    static abstract bool AreEqual(T left, T right);
}
