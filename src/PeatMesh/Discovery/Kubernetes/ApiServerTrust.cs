using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PeatMesh.Discovery.Kubernetes;

/// <summary>
/// Trusts exactly the certificate authorities in the service-account <c>ca.crt</c> for the API server's TLS
/// certificate: the chain must end at one of them (custom root trust, the system store is ignored), the
/// certificate must be valid for server authentication, and the host name must match. The file is re-read
/// before every request and the new roots replace the old ones when its contents change (CA rotation).
/// </summary>
/// <remarks>
/// Thread-safe: <see cref="Validate"/> runs on TLS handshake threads and reads an immutable snapshot of the
/// roots that <see cref="Refresh"/> (discovery loop only) swaps atomically.
/// </remarks>
internal sealed class ApiServerTrust
{
    /// <summary>Largest CA file accepted: 1 MiB.</summary>
    public const int MaxCaFileBytes = 1024 * 1024;

    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1", "Server Authentication");

    private readonly string? _path;
    private byte[] _fileBytes = [];
    private X509Certificate2Collection? _roots;

    /// <summary>Creates the trust; <paramref name="path"/> null means "use the operating system's roots".</summary>
    public ApiServerTrust(string? path) => _path = path;

    /// <summary>Re-reads the CA file and replaces the roots if it changed.</summary>
    /// <returns>True when the roots were (re)loaded by this call.</returns>
    /// <exception cref="KubernetesApiException">The file is missing, too large, or holds no certificate (<see cref="KubernetesApiError.Trust"/>).</exception>
    public bool Refresh()
    {
        if (_path is null)
        {
            return false;
        }

        byte[] bytes;
        try
        {
            using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var buffer = new byte[MaxCaFileBytes + 1];
            var length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (length > MaxCaFileBytes)
            {
                throw new KubernetesApiException(KubernetesApiError.Trust, $"CA file {_path} is larger than {MaxCaFileBytes} bytes");
            }

            bytes = buffer.AsSpan(0, length).ToArray();
        }
        catch (Exception e) when (e is IOException and not KubernetesApiException or UnauthorizedAccessException)
        {
            throw new KubernetesApiException(KubernetesApiError.Trust, $"CA file {_path} cannot be read ({e.GetType().Name}: {e.Message})", innerException: e);
        }

        if (Volatile.Read(ref _roots) is not null && bytes.AsSpan().SequenceEqual(_fileBytes))
        {
            return false;
        }

        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPem(System.Text.Encoding.ASCII.GetString(bytes));
        }
        catch (CryptographicException e)
        {
            throw new KubernetesApiException(KubernetesApiError.Trust, $"CA file {_path} is not valid PEM ({e.Message})", innerException: e);
        }

        if (roots.Count == 0)
        {
            throw new KubernetesApiException(KubernetesApiError.Trust, $"CA file {_path} holds no certificate");
        }

        _fileBytes = bytes;
        Volatile.Write(ref _roots, roots);
        return true;
    }

    /// <summary>The <see cref="RemoteCertificateValidationCallback"/> for the API server connection.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
        {
            return false;
        }

        if (_path is null)
        {
            return errors == SslPolicyErrors.None;
        }

        var roots = Volatile.Read(ref _roots);
        if (roots is null)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(roots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication);
        if (chain is not null)
        {
            // Intermediates the server sent; trust still has to end at one of our roots.
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
            foreach (var element in chain.ChainElements.Skip(1))
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (certificate is X509Certificate2 leaf)
        {
            return custom.Build(leaf);
        }

        using var copy = new X509Certificate2(certificate);
        return custom.Build(copy);
    }
}
