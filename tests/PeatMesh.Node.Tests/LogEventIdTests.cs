using System.Reflection;
using Microsoft.Extensions.Logging;
using PeatMesh.Diagnostics;

namespace PeatMesh.Node.Tests;

/// <summary>Every [LoggerMessage] event id is unique and inside its subsystem's range (Diagnostics/MeshEventIds).</summary>
public class LogEventIdTests
{
    private static readonly Dictionary<string, int> RangeStart = new(StringComparer.Ordinal)
    {
        ["Security"] = MeshEventIds.SecurityStart,
        ["Transport"] = MeshEventIds.TransportStart,
        ["Storage"] = MeshEventIds.StorageStart,
        ["Sync"] = MeshEventIds.SyncStart,
        ["Discovery"] = MeshEventIds.DiscoveryStart,
        ["Topology"] = MeshEventIds.TopologyStart,
        ["Hosting"] = MeshEventIds.HostingStart,
        ["Broker"] = MeshEventIds.BrokerStart,
    };

    private static IEnumerable<(MethodInfo Method, int EventId)> LogMethods() =>
        new[] { typeof(Hosting.MeshNode).Assembly, typeof(AspNetCore.MeshNodeHost).Assembly, typeof(NodeConfiguration).Assembly }
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => (x.Method, x.Attribute!.EventId));

    [Fact]
    public void EventIds_AreUnique()
    {
        var methods = LogMethods().ToList();
        Assert.True(methods.Count > 20, $"expected the library's log methods, found {methods.Count}");
        var duplicates = methods.GroupBy(m => m.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method.DeclaringType!.Name + "." + m.Method.Name))}").ToList();
        Assert.True(duplicates.Count == 0, "Duplicate event ids:\n" + string.Join("\n", duplicates));
    }

    [Fact]
    public void EventIds_LieInTheirSubsystemRange()
    {
        var violations = new List<string>();
        foreach (var (method, id) in LogMethods())
        {
            var ns = method.DeclaringType!.Namespace!;
            var subsystem = ns switch
            {
                "PeatMesh.AspNetCore" or "PeatMesh.Node" => "Hosting",
                _ => ns.Split('.').ElementAtOrDefault(1) ?? "?",
            };
            if (!RangeStart.TryGetValue(subsystem, out var start) || id < start || id >= start + MeshEventIds.RangeSize)
            {
                violations.Add($"{method.DeclaringType.Name}.{method.Name} ({ns}) uses {id}");
            }
        }

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }
}
