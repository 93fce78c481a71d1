using System.Text.Json.Nodes;

namespace PeatMesh.Tests.Discovery.Kubernetes;

/// <summary>Builds discovery.k8s.io/v1 JSON shaped like ../shared/testdata/k8s (lists, slices, watch events).</summary>
internal static class SliceJson
{
    public static JsonObject Endpoint(string address, string? pod, bool? ready = true, bool? serving = true, bool? terminating = false,
        string? hostname = null, bool withConditions = true, string? zone = "zone-a", string? nodeName = "node-0", params string[] moreAddresses)
    {
        var endpoint = new JsonObject { ["addresses"] = new JsonArray([.. new[] { address }.Concat(moreAddresses).Select(a => (JsonNode)JsonValue.Create(a))]) };
        if (withConditions)
        {
            var conditions = new JsonObject();
            if (ready is not null)
            {
                conditions["ready"] = ready;
            }

            if (serving is not null)
            {
                conditions["serving"] = serving;
            }

            if (terminating is not null)
            {
                conditions["terminating"] = terminating;
            }

            endpoint["conditions"] = conditions;
        }

        if (hostname is not null)
        {
            endpoint["hostname"] = hostname;
        }

        if (nodeName is not null)
        {
            endpoint["nodeName"] = nodeName;
        }

        if (zone is not null)
        {
            endpoint["zone"] = zone;
        }

        if (pod is not null)
        {
            endpoint["targetRef"] = new JsonObject { ["kind"] = "Pod", ["namespace"] = "peat-test", ["name"] = pod };
        }

        return endpoint;
    }

    public static JsonObject Port(string? name, int? port, string? protocol = "TCP")
    {
        var result = new JsonObject();
        if (name is not null)
        {
            result["name"] = name;
        }

        if (protocol is not null)
        {
            result["protocol"] = protocol;
        }

        if (port is not null)
        {
            result["port"] = port;
        }

        return result;
    }

    public static JsonObject Slice(string name, string resourceVersion, JsonObject[] endpoints, JsonObject[]? ports = null,
        string addressType = "IPv4", Dictionary<string, string>? annotations = null)
    {
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = "peat-test",
            ["resourceVersion"] = resourceVersion,
            ["labels"] = new JsonObject { ["app"] = "peat-mesh", ["kubernetes.io/service-name"] = "peat" },
        };
        if (annotations is not null)
        {
            metadata["annotations"] = new JsonObject([.. annotations.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))]);
        }

        return new JsonObject
        {
            ["kind"] = "EndpointSlice",
            ["apiVersion"] = "discovery.k8s.io/v1",
            ["metadata"] = metadata,
            ["addressType"] = addressType,
            ["endpoints"] = new JsonArray([.. endpoints]),
            ["ports"] = new JsonArray([.. ports ?? [Port("mesh", 11204)]]),
        };
    }

    public static string List(string resourceVersion, string? continueToken, params JsonObject[] slices)
    {
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion };
        if (continueToken is not null)
        {
            metadata["continue"] = continueToken;
        }

        return new JsonObject
        {
            ["kind"] = "EndpointSliceList",
            ["apiVersion"] = "discovery.k8s.io/v1",
            ["metadata"] = metadata,
            ["items"] = new JsonArray([.. slices]),
        }.ToJsonString();
    }

    public static string Event(string type, JsonObject body) =>
        new JsonObject { ["type"] = type, ["object"] = body }.ToJsonString();

    public static string Bookmark(string resourceVersion) =>
        Event("BOOKMARK", new JsonObject
        {
            ["kind"] = "EndpointSlice",
            ["apiVersion"] = "discovery.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
        });

    public static string Error(int code, string reason, string message) =>
        Event("ERROR", new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        });
}
