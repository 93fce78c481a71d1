namespace PeatMesh.Discovery.Kubernetes;

/// <summary>What <see cref="WatchLineReader.ReadLineAsync"/> found.</summary>
internal enum WatchLineStatus
{
    /// <summary>A complete, non-empty line.</summary>
    Line,

    /// <summary>The stream ended cleanly after a complete line (the server closed the watch).</summary>
    End,

    /// <summary>The stream ended in the middle of a line (a cut connection).</summary>
    Truncated,

    /// <summary>A line exceeds the limit; the rest of the stream is not read.</summary>
    TooLong,
}
