using System.Security.Cryptography;

namespace PeatMesh.Security.Noise;

/// <summary>
/// A Noise protocol failure caused by the peer's data or by exhausting a cipher state, classified by <see cref="Error"/>.
/// Misuse by the caller (wrong turn, buffer too small) raises <see cref="InvalidOperationException"/> or
/// <see cref="ArgumentException"/> instead.
/// </summary>
/// <remarks>Messages never contain key material.</remarks>
public sealed class NoiseException : CryptographicException
{
    /// <summary>Creates an exception of kind <see cref="NoiseError.InvalidMessage"/>.</summary>
    public NoiseException()
        : this(NoiseError.InvalidMessage, "Invalid Noise message.")
    {
    }

    /// <summary>Creates an exception of kind <see cref="NoiseError.InvalidMessage"/>.</summary>
    /// <param name="message">A description that contains no key material.</param>
    public NoiseException(string message)
        : this(NoiseError.InvalidMessage, message)
    {
    }

    /// <summary>Creates an exception of kind <see cref="NoiseError.InvalidMessage"/>.</summary>
    /// <param name="message">A description that contains no key material.</param>
    /// <param name="innerException">The cause.</param>
    public NoiseException(string message, Exception innerException)
        : this(NoiseError.InvalidMessage, message, innerException)
    {
    }

    /// <summary>Creates an exception.</summary>
    /// <param name="error">The failure class.</param>
    /// <param name="message">A description that contains no key material.</param>
    /// <param name="innerException">The cause, if any.</param>
    public NoiseException(NoiseError error, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
    }

    /// <summary>The failure class.</summary>
    public NoiseError Error { get; }
}
