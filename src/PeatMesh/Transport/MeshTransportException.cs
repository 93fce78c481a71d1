namespace PeatMesh.Transport;

/// <summary>
/// A failure of a mesh connection, classified by <see cref="Error"/>. Derives from <see cref="IOException"/> so
/// callers that already handle stream failures handle it too.
/// </summary>
/// <remarks>Messages never contain key material. Instances are immutable.</remarks>
public sealed class MeshTransportException : IOException
{
    /// <summary>Creates an exception of kind <see cref="MeshTransportError.Unknown"/>.</summary>
    public MeshTransportException()
        : this(MeshTransportError.Unknown, "Mesh transport failure.")
    {
    }

    /// <summary>Creates an exception of kind <see cref="MeshTransportError.Unknown"/>.</summary>
    /// <param name="message">A description without secrets.</param>
    public MeshTransportException(string message)
        : this(MeshTransportError.Unknown, message)
    {
    }

    /// <summary>Creates an exception of kind <see cref="MeshTransportError.Unknown"/>.</summary>
    /// <param name="message">A description without secrets.</param>
    /// <param name="innerException">The cause.</param>
    public MeshTransportException(string message, Exception innerException)
        : this(MeshTransportError.Unknown, message, innerException)
    {
    }

    /// <summary>Creates an exception.</summary>
    /// <param name="error">The failure class.</param>
    /// <param name="message">A description without secrets.</param>
    /// <param name="innerException">The cause, if any.</param>
    public MeshTransportException(MeshTransportError error, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
    }

    /// <summary>The failure class.</summary>
    public MeshTransportError Error { get; }
}
