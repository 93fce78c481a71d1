using System.Globalization;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// A column specification: <c>(columnId &lt;&lt; 4) | (deflate ? 8 : 0) | type</c> (Automerge binary format §2.5).
/// </summary>
/// <param name="Raw">The 32-bit specification as written.</param>
internal readonly record struct ColumnSpec(uint Raw)
{
    /// <summary>The column id.</summary>
    public uint Id => Raw >> 4;

    /// <summary>The encoding.</summary>
    public ColumnType Type => (ColumnType)(Raw & 7);

    /// <summary>Whether the column data is raw-DEFLATE compressed.</summary>
    public bool IsDeflated => (Raw & 8) != 0;

    /// <summary>The specification with the deflate bit cleared (the sort key).</summary>
    public uint Normalized => Raw & ~8u;

    /// <summary>Builds a specification.</summary>
    public static ColumnSpec Create(uint id, ColumnType type, bool deflate = false) =>
        new((id << 4) | (deflate ? 8u : 0u) | (uint)type);

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Raw}(id={Id},{Type}{(IsDeflated ? ",deflate" : string.Empty)})");
}
