using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PeatMesh.Tests.Discovery.Kubernetes;

/// <summary>Generates a throw-away CA and server certificates signed by it (ECDSA P-256), like a cluster's API server PKI.</summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly ECDsa _caKey;

    public TestCertificates(string name)
    {
        _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        Ca = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
    }

    /// <summary>The CA certificate (public part is what goes into ca.crt).</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>The CA as PEM, the format of the service-account <c>ca.crt</c>.</summary>
    public string CaPem => Ca.ExportCertificatePem();

    /// <summary>A TLS server certificate for <paramref name="dnsNames"/> and <paramref name="addresses"/>, signed by this CA.</summary>
    public X509Certificate2 IssueServer(string[] dnsNames, IPAddress[] addresses)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kube-apiserver", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames)
        {
            san.AddDnsName(dns);
        }

        foreach (var address in addresses)
        {
            san.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Ca, true, false));
        var now = DateTimeOffset.UtcNow;
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        using var signed = request.Create(Ca, now.AddHours(-1), now.AddHours(12), serial);
        using var withKey = signed.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>A server certificate valid for 127.0.0.1 and localhost.</summary>
    public X509Certificate2 IssueLoopbackServer() => IssueServer(["localhost"], [IPAddress.Loopback]);

    public void Dispose()
    {
        Ca.Dispose();
        _caKey.Dispose();
    }
}
