using System.Text;
using System.Text.Json.Nodes;

namespace PeatMesh.Node.Tests.Deployment;

/// <summary>
/// The environment a pod of the rendered StatefulSet gets, resolved as the kubelet would: literal values,
/// <c>fieldRef</c> (pod name, namespace) and <c>secretKeyRef</c> (from a Secret of the same rendering, or a
/// stand-in for an existing one), plus the variables the kubelet adds to every container.
/// </summary>
internal static class PodEnvironment
{
    /// <summary>What the kubelet sets in every container (the in-cluster API address).</summary>
    public static readonly IReadOnlyDictionary<string, string> Kubelet = new Dictionary<string, string>
    {
        ["KUBERNETES_SERVICE_HOST"] = "10.43.0.1",
        ["KUBERNETES_SERVICE_PORT"] = "443",
    };

    /// <summary>The container's variables for pod <paramref name="ordinal"/>, in the chart's order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Resolve(RenderedChart chart, int ordinal,
        IReadOnlyDictionary<string, string>? existingSecrets = null)
    {
        var podName = RenderedChart.Name(chart.StatefulSet) + "-" + ordinal;
        var result = new List<KeyValuePair<string, string>>();
        foreach (var variable in RenderedChart.Items(chart.Container["env"]))
        {
            var name = (string)variable["name"]!;
            if (variable["value"] is { } value)
            {
                result.Add(new(name, (string)value!));
                continue;
            }

            var from = variable["valueFrom"]!.AsObject();
            if (from["fieldRef"] is { } field)
            {
                result.Add(new(name, (string)field["fieldPath"]! switch
                {
                    "metadata.name" => podName,
                    "metadata.namespace" => chart.Namespace,
                    var other => throw new InvalidOperationException($"{name}: fieldRef {other} is not resolved by this test"),
                }));
            }
            else if (from["secretKeyRef"] is { } secretRef)
            {
                result.Add(new(name, SecretValue(chart, (string)secretRef["name"]!, (string)secretRef["key"]!, existingSecrets)));
            }
            else
            {
                throw new InvalidOperationException($"{name}: valueFrom {from.ToJsonString()} is not resolved by this test");
            }
        }

        return result;
    }

    private static string SecretValue(RenderedChart chart, string secretName, string key, IReadOnlyDictionary<string, string>? existingSecrets)
    {
        if (chart.Named("Secret", secretName) is { } secret)
        {
            var encoded = (string?)secret["data"]?[key] ?? throw new InvalidOperationException($"Secret {secretName} has no key {key}");
            return Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        }

        if (existingSecrets is not null && existingSecrets.TryGetValue(secretName + "/" + key, out var value))
        {
            return value;
        }

        throw new InvalidOperationException($"the pod reads Secret {secretName} key {key}, which neither the chart nor the test provides");
    }
}
