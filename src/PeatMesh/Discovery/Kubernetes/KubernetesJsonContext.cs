using System.Text.Json.Serialization;

namespace PeatMesh.Discovery.Kubernetes;

/// <summary>Source-generated System.Text.Json metadata for the Kubernetes wire DTOs (camelCase, case-sensitive, depth ≤ 64).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, MaxDepth = 64)]
[JsonSerializable(typeof(EndpointSliceList))]
[JsonSerializable(typeof(EndpointSlice))]
[JsonSerializable(typeof(ApiStatus))]
internal sealed partial class KubernetesJsonContext : JsonSerializerContext;
