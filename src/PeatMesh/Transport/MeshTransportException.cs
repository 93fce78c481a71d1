namespace PeatMesh.Transport;

/// <summary>
/// A failure of a mesh connection or channel, classified by <see cref="Error"/>. Derives from
/// <see cref="IOException"/> so callers that already handle socket failures catch it.
/// </summary>
/// <remarks>Messages never contain key material or secrets.</remarks>
public class MeshTransportException : IOException
{
    /// <summary>Creates an exception with a classification and message.</summary>
    public MeshTransportException(MeshTransportError error, string message)
        : base(message) => Error = error;

    /// <summary>Creates an exception with a classification, message and inner exception.</summary>
    public MeshTransportException(MeshTransportError error, string message, Exception? innerException)
        : base(message, innerException) => Error = error;

    /// <summary>Creates an unclassified exception.</summary>
    public MeshTransportException()
        : base("Mesh transport failure.")
    {
    }

    /// <summary>Creates an unclassified exception with a message.</summary>
    public MeshTransportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an unclassified exception with a message and inner exception.</summary>
    public MeshTransportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The failure's classification.</summary>
    public MeshTransportError Error { get; }
}
