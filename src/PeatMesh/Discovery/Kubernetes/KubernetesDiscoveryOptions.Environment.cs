using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace PeatMesh.Discovery.Kubernetes;

/// <content>Building the options from a pod's environment (client-go <c>InClusterConfig</c>, protocols.md §5).</content>
public sealed partial class KubernetesDiscoveryOptions
{
    /// <summary>Overrides the API URL (tests and out-of-cluster use): <c>PEAT_K8S_API_URL</c>.</summary>
    public const string ApiUrlVariable = "PEAT_K8S_API_URL";

    /// <summary>Overrides the token file: <c>PEAT_K8S_TOKEN_PATH</c>.</summary>
    public const string TokenPathVariable = "PEAT_K8S_TOKEN_PATH";

    /// <summary>Overrides the CA file: <c>PEAT_K8S_CA_PATH</c>.</summary>
    public const string CaPathVariable = "PEAT_K8S_CA_PATH";

    /// <summary>Overrides the namespace: <c>PEAT_K8S_NAMESPACE</c>.</summary>
    public const string NamespaceVariable = "PEAT_K8S_NAMESPACE";

    /// <summary>Overrides the label selector: <c>PEAT_K8S_LABEL_SELECTOR</c>.</summary>
    public const string LabelSelectorVariable = "PEAT_K8S_LABEL_SELECTOR";

    /// <summary>Overrides the mesh port name: <c>PEAT_K8S_PORT_NAME</c>.</summary>
    public const string MeshPortNameVariable = "PEAT_K8S_PORT_NAME";

    /// <summary>The in-cluster API host set by the kubelet: <c>KUBERNETES_SERVICE_HOST</c>.</summary>
    public const string ServiceHostVariable = "KUBERNETES_SERVICE_HOST";

    /// <summary>The in-cluster API port set by the kubelet: <c>KUBERNETES_SERVICE_PORT</c>.</summary>
    public const string ServicePortVariable = "KUBERNETES_SERVICE_PORT";

    /// <summary>Longest namespace file accepted (an RFC 1123 label is at most 63 characters).</summary>
    private const int MaxNamespaceFileBytes = 1024;

    /// <summary>
    /// Options for a pod (or an out-of-cluster process) from environment variables, with the service-account
    /// files under <see cref="ServiceAccountDirectory"/>. See
    /// <see cref="TryFromEnvironment(IDictionary, string, out KubernetesDiscoveryOptions?, out string?)"/> for the rules.
    /// </summary>
    /// <param name="environment">Variables, as returned by <see cref="Environment.GetEnvironmentVariables()"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="environment"/> is null.</exception>
    /// <exception cref="InvalidOperationException">Not in a cluster and no <c>PEAT_K8S_API_URL</c>, or a variable is malformed; the message names it.</exception>
    public static KubernetesDiscoveryOptions FromEnvironment(IDictionary environment) =>
        FromEnvironment(environment, ServiceAccountDirectory);

    /// <summary>As <see cref="FromEnvironment(IDictionary)"/>, with the service-account files in <paramref name="serviceAccountDirectory"/>.</summary>
    /// <param name="environment">Variables, as returned by <see cref="Environment.GetEnvironmentVariables()"/>.</param>
    /// <param name="serviceAccountDirectory">Folder holding <c>token</c>, <c>ca.crt</c> and <c>namespace</c>.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidOperationException">Not in a cluster and no <c>PEAT_K8S_API_URL</c>, or a variable is malformed; the message names it.</exception>
    public static KubernetesDiscoveryOptions FromEnvironment(IDictionary environment, string serviceAccountDirectory) =>
        TryFromEnvironment(environment, serviceAccountDirectory, out var options, out var error)
            ? options
            : throw new InvalidOperationException(error);

    /// <summary>
    /// Builds options from environment variables without throwing. The API URL is <c>PEAT_K8S_API_URL</c> (an
    /// absolute http/https URL) or else <c>https://</c> + <c>KUBERNETES_SERVICE_HOST</c>:<c>KUBERNETES_SERVICE_PORT</c>
    /// (both required; an IPv6 host is bracketed). Token and CA come from <c>PEAT_K8S_TOKEN_PATH</c> and
    /// <c>PEAT_K8S_CA_PATH</c>, else <c>token</c> and <c>ca.crt</c> in <paramref name="serviceAccountDirectory"/>.
    /// The namespace is <c>PEAT_K8S_NAMESPACE</c>, else the <c>namespace</c> file there, else <c>default</c>.
    /// <c>PEAT_K8S_LABEL_SELECTOR</c> and <c>PEAT_K8S_PORT_NAME</c> override <see cref="LabelSelector"/> and
    /// <see cref="MeshPortName"/>. Other settings keep their defaults.
    /// </summary>
    /// <param name="environment">Variables, as returned by <see cref="Environment.GetEnvironmentVariables()"/>.</param>
    /// <param name="serviceAccountDirectory">Folder holding <c>token</c>, <c>ca.crt</c> and <c>namespace</c>.</param>
    /// <param name="options">The options, when the result is <see langword="true"/>.</param>
    /// <param name="error">One line naming the variable at fault, when the result is <see langword="false"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static bool TryFromEnvironment(IDictionary environment, string serviceAccountDirectory,
        [NotNullWhen(true)] out KubernetesDiscoveryOptions? options, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(serviceAccountDirectory);
        options = null;
        string? Get(string name) => environment[name] is string { Length: > 0 } value && value.Trim() is { Length: > 0 } trimmed ? trimmed : null;

        Uri apiUrl;
        if (Get(ApiUrlVariable) is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp))
            {
                error = $"{ApiUrlVariable} must be an absolute http(s) URL, got '{url}'";
                return false;
            }

            apiUrl = parsed;
        }
        else
        {
            var host = Get(ServiceHostVariable);
            var port = Get(ServicePortVariable);
            if (host is null || port is null)
            {
                error = $"not running in a Kubernetes cluster: {ServiceHostVariable} and {ServicePortVariable} must both be set (or set {ApiUrlVariable})";
                return false;
            }

            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var portNumber) || portNumber is < 1 or > 65535)
            {
                error = $"{ServicePortVariable} must be a port number 1-65535, got '{port}'";
                return false;
            }

            var bracketed = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? "[" + host + "]" : host;
            if (!Uri.TryCreate("https://" + bracketed + ":" + portNumber.ToString(CultureInfo.InvariantCulture), UriKind.Absolute, out var inCluster))
            {
                error = $"{ServiceHostVariable} is not a host name or IP address: '{host}'";
                return false;
            }

            apiUrl = inCluster;
        }

        var result = new KubernetesDiscoveryOptions
        {
            ApiUrl = apiUrl,
            TokenPath = Get(TokenPathVariable) ?? Path.Combine(serviceAccountDirectory, "token"),
            CaPath = Get(CaPathVariable) ?? Path.Combine(serviceAccountDirectory, "ca.crt"),
            Namespace = Get(NamespaceVariable) ?? ReadNamespaceFile(Path.Combine(serviceAccountDirectory, "namespace")) ?? "default",
        };
        if (Get(LabelSelectorVariable) is { } selector)
        {
            result.LabelSelector = selector;
        }

        if (Get(MeshPortNameVariable) is { } portName)
        {
            result.MeshPortName = portName;
        }

        if (!KubernetesDiscoveryOptionsValidator.IsNamespace(result.Namespace))
        {
            error = $"the namespace must be an RFC 1123 label (lower-case letters, digits, '-', at most 63), got '{result.Namespace}' (from {NamespaceVariable} or the service-account namespace file)";
            return false;
        }

        options = result;
        error = null;
        return true;
    }

    private static string? ReadNamespaceFile(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var buffer = new byte[MaxNamespaceFileBytes];
            var length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            var text = System.Text.Encoding.UTF8.GetString(buffer, 0, length).Trim();
            return text.Length > 0 ? text : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
