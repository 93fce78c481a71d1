using System.Text;

namespace PeatMesh.Discovery.Kubernetes;

/// <summary>
/// The service-account bearer token, read from its file before every API request so that a rotated
/// projected token is used as soon as the kubelet writes it (client-go re-reads about every minute; a
/// request happens at most a few times per watch period, so reading each time is cheap and never stale).
/// </summary>
/// <remarks>
/// Not thread-safe: used by the discovery loop only. The token is never logged, formatted or put in an
/// exception message; <see cref="object.ToString"/> is not overridden.
/// </remarks>
internal sealed class ServiceAccountToken
{
    /// <summary>Largest token file accepted: 64 KiB (service-account JWTs are about 1 KiB).</summary>
    public const int MaxTokenBytes = 64 * 1024;

    private readonly string? _path;
    private string? _current;

    /// <summary>Creates the reader; <paramref name="path"/> null means "no token".</summary>
    public ServiceAccountToken(string? path) => _path = path;

    /// <summary>Reads the token file now.</summary>
    /// <param name="changed">The token differs from the one read last time (first read included).</param>
    /// <param name="problem">Why no token is available (file missing, empty, too large); null on success or when no path is set.</param>
    /// <returns>The trimmed token, or null when there is none.</returns>
    public string? Read(out bool changed, out string? problem)
    {
        changed = false;
        problem = null;
        if (_path is null)
        {
            return null;
        }

        string? token = null;
        try
        {
            using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var buffer = new byte[MaxTokenBytes + 1];
            var length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (length > MaxTokenBytes)
            {
                problem = $"token file {_path} is larger than {MaxTokenBytes} bytes";
            }
            else
            {
                var text = Encoding.UTF8.GetString(buffer, 0, length).Trim();
                if (text.Length == 0)
                {
                    problem = $"token file {_path} is empty";
                }
                else if (text.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
                {
                    problem = $"token file {_path} contains whitespace or control characters";
                }
                else
                {
                    token = text;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"token file {_path} cannot be read ({e.GetType().Name})";
        }

        changed = !string.Equals(token, _current, StringComparison.Ordinal);
        _current = token;
        return token;
    }
}
