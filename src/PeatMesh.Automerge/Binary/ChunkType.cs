namespace PeatMesh.Automerge.Binary;

/// <summary>The chunk type byte (Automerge binary format §2.2 "Chunk container").</summary>
public enum ChunkType : byte
{
    /// <summary>A whole document (columnar changes and ops).</summary>
    Document = 0,

    /// <summary>One change.</summary>
    Change = 1,

    /// <summary>One change whose body is raw DEFLATE of a change body; its checksum is that of the uncompressed chunk.</summary>
    CompressedChange = 2,

    /// <summary>A bundle of changes (experimental in Automerge 3.x; read by <see cref="BundleChunk"/>, never written).</summary>
    Bundle = 3,
}
