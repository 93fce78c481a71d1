namespace PeatMesh.Discovery.Mdns;

/// <summary>A DNS message could not be parsed; <see cref="Error"/> says why.</summary>
/// <remarks>Thrown by <see cref="DnsMessage.Parse"/>; <see cref="DnsMessage.TryParse"/> returns the same error instead.</remarks>
public sealed class DnsFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="error">The failure class.</param>
    /// <param name="message">What was wrong and where (byte offset).</param>
    public DnsFormatException(DnsFormatError error, string message)
        : base(message) => Error = error;

    /// <summary>Creates an exception of class <see cref="DnsFormatError.BadRecordData"/>.</summary>
    public DnsFormatException()
        : this(DnsFormatError.BadRecordData, "Malformed DNS message.")
    {
    }

    /// <summary>Creates an exception of class <see cref="DnsFormatError.BadRecordData"/>.</summary>
    /// <param name="message">What was wrong.</param>
    public DnsFormatException(string message)
        : this(DnsFormatError.BadRecordData, message)
    {
    }

    /// <summary>Creates an exception of class <see cref="DnsFormatError.BadRecordData"/>.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public DnsFormatException(string message, Exception innerException)
        : base(message, innerException) => Error = DnsFormatError.BadRecordData;

    /// <summary>The failure class.</summary>
    public DnsFormatError Error { get; }
}
