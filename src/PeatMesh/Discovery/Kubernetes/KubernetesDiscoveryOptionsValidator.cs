using Microsoft.Extensions.Options;

namespace PeatMesh.Discovery.Kubernetes;

/// <summary>Validates <see cref="KubernetesDiscoveryOptions"/> (register with <c>ValidateOnStart</c>).</summary>
/// <remarks>Stateless; thread-safe.</remarks>
public sealed class KubernetesDiscoveryOptionsValidator : IValidateOptions<KubernetesDiscoveryOptions>
{
    /// <summary>Largest allowed <see cref="KubernetesDiscoveryOptions.ListPageSize"/>.</summary>
    public const int MaxListPageSize = 10_000;

    /// <summary>Smallest allowed <see cref="KubernetesDiscoveryOptions.MaxEventBytes"/> and <see cref="KubernetesDiscoveryOptions.MaxListPageBytes"/>: 1 KiB.</summary>
    public const int MinMessageBytes = 1024;

    /// <summary>Largest allowed <see cref="KubernetesDiscoveryOptions.MaxEventBytes"/> and <see cref="KubernetesDiscoveryOptions.MaxListPageBytes"/>: 1 GiB.</summary>
    public const int MaxMessageBytes = 1024 * 1024 * 1024;

    /// <summary>Longest allowed label selector, in characters.</summary>
    public const int MaxLabelSelectorLength = 4096;

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, KubernetesDiscoveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.ApiUrl is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add("Kubernetes:ApiUrl is required and must be an absolute http(s) URL (set PEAT_K8S_API_URL or run in a cluster).");
        }
        else if (url.Query.Length > 0 || url.Fragment.Length > 0 || url.UserInfo.Length > 0)
        {
            failures.Add("Kubernetes:ApiUrl must not carry a query, fragment or user info.");
        }

        CheckPath(failures, "TokenPath", options.TokenPath);
        CheckPath(failures, "CaPath", options.CaPath);
        if (!IsNamespace(options.Namespace))
        {
            failures.Add($"Kubernetes:Namespace must be an RFC 1123 label (a-z, 0-9, '-', 1-63 characters), got '{options.Namespace}'.");
        }

        if (options.LabelSelector is null || options.LabelSelector.Length > MaxLabelSelectorLength || options.LabelSelector.Any(char.IsControl))
        {
            failures.Add($"Kubernetes:LabelSelector must be set (empty selects all), at most {MaxLabelSelectorLength} characters, without control characters.");
        }

        if (options.MeshPortName is { } portName && (portName.Length is 0 or > 63 || portName.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))))
        {
            failures.Add("Kubernetes:MeshPortName must be null or 1-63 characters without whitespace.");
        }

        if (options.FallbackPort is { } port && port is < 1 or > 65535)
        {
            failures.Add($"Kubernetes:FallbackPort must be null or 1-65535, got {port}.");
        }

        if (options.AnnotationPrefix is null)
        {
            failures.Add("Kubernetes:AnnotationPrefix must not be null (empty disables annotation metadata).");
        }

        CheckRange(failures, "WatchTimeout", options.WatchTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        CheckRange(failures, "RequestTimeout", options.RequestTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        CheckRange(failures, "TokenRefreshInterval", options.TokenRefreshInterval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        CheckRange(failures, "InitialBackoff", options.InitialBackoff, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10));
        CheckRange(failures, "MaxBackoff", options.MaxBackoff, options.InitialBackoff > TimeSpan.Zero ? options.InitialBackoff : TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1));
        if (double.IsNaN(options.BackoffJitter) || options.BackoffJitter is < 0 or >= 1)
        {
            failures.Add($"Kubernetes:BackoffJitter must be in [0, 1), got {options.BackoffJitter}.");
        }

        if (options.ListPageSize is < 1 or > MaxListPageSize)
        {
            failures.Add($"Kubernetes:ListPageSize must be 1-{MaxListPageSize}, got {options.ListPageSize}.");
        }

        if (options.MaxListPageBytes is < MinMessageBytes or > MaxMessageBytes)
        {
            failures.Add($"Kubernetes:MaxListPageBytes must be {MinMessageBytes}-{MaxMessageBytes} bytes, got {options.MaxListPageBytes}.");
        }

        if (options.MaxEventBytes is < MinMessageBytes or > MaxMessageBytes)
        {
            failures.Add($"Kubernetes:MaxEventBytes must be {MinMessageBytes}-{MaxMessageBytes} bytes, got {options.MaxEventBytes}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Whether <paramref name="value"/> is an RFC 1123 label, as Kubernetes namespace names are.</summary>
    internal static bool IsNamespace(string? value) =>
        value is { Length: >= 1 and <= 63 }
        && value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        && value[0] != '-' && value[^1] != '-';

    private static void CheckPath(List<string> failures, string name, string? path)
    {
        if (path is not null && (string.IsNullOrWhiteSpace(path) || path.Contains('\0', StringComparison.Ordinal)))
        {
            failures.Add($"Kubernetes:{name} must be null or a file path without NUL characters.");
        }
    }

    private static void CheckRange(List<string> failures, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"Kubernetes:{name} must be between {min} and {max}, got {value}.");
        }
    }
}
