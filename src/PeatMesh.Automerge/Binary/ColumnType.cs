namespace PeatMesh.Automerge.Binary;

/// <summary>Column encodings, the low 3 bits of a column specification (Automerge binary format §2.5).</summary>
internal enum ColumnType : byte
{
    /// <summary>Group: RLE of per-row item counts for the grouped columns with the same id.</summary>
    Group = 0,

    /// <summary>Actor index, uLEB RLE.</summary>
    Actor = 1,

    /// <summary>Unsigned integer, uLEB RLE.</summary>
    Integer = 2,

    /// <summary>Integer as RLE of sLEB deltas.</summary>
    DeltaInteger = 3,

    /// <summary>Boolean run lengths.</summary>
    Boolean = 4,

    /// <summary>UTF-8 string RLE.</summary>
    String = 5,

    /// <summary>Value metadata: RLE of <c>(length &lt;&lt; 4) | typeCode</c>.</summary>
    ValueMetadata = 6,

    /// <summary>Raw value bytes described by the preceding value-metadata column.</summary>
    Value = 7,
}
