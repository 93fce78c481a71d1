namespace PeatMesh.Diagnostics;

/// <summary>
/// The table of log event id ranges, one per subsystem. Every <c>[LoggerMessage]</c> in the library
/// uses an id inside its subsystem's range; a test checks that ids are unique and in range.
/// </summary>
public static class MeshEventIds
{
    /// <summary>Security: 1000–1099.</summary>
    public const int SecurityStart = 1000;

    /// <summary>Transport: 2000–2099.</summary>
    public const int TransportStart = 2000;

    /// <summary>Storage: 3000–3099.</summary>
    public const int StorageStart = 3000;

    /// <summary>Sync: 4000–4099.</summary>
    public const int SyncStart = 4000;

    /// <summary>Discovery: 5000–5099.</summary>
    public const int DiscoveryStart = 5000;

    /// <summary>Topology (peers, dialing, health): 6000–6099.</summary>
    public const int TopologyStart = 6000;

    /// <summary>Hosting (node lifecycle): 7000–7099.</summary>
    public const int HostingStart = 7000;

    /// <summary>Broker (HTTP/WebSocket): 8000–8099.</summary>
    public const int BrokerStart = 8000;

    /// <summary>Width of every range (100 ids).</summary>
    public const int RangeSize = 100;
}
