namespace PeatMesh.Automerge.Binary;

/// <summary>Decoding bounds for column data (run-length encoding can describe huge row counts in a few bytes).</summary>
internal static class ColumnLimits
{
    /// <summary>
    /// The most rows any one column may yield (4,194,304). Real changes reach about a million ops
    /// (a whole editing trace in one change); the bound stops an RLE "bomb" from exhausting memory.
    /// </summary>
    public const int MaxRows = 1 << 22;
}
