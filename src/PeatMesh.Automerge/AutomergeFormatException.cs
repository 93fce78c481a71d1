namespace PeatMesh.Automerge;

/// <summary>
/// Thrown when bytes claimed to be Automerge data (chunks, columns, sync messages) are malformed,
/// truncated, exceed a bound, or fail a checksum/hash check.
/// </summary>
/// <remarks>Derives from <see cref="FormatException"/> so callers that already handle parse errors catch it.</remarks>
public class AutomergeFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public AutomergeFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public AutomergeFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public AutomergeFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
