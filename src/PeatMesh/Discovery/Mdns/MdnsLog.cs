using System.Net;
using Microsoft.Extensions.Logging;

namespace PeatMesh.Discovery.Mdns;

/// <summary>Log messages of mDNS discovery (discovery range; mDNS uses 5010–5049, Kubernetes 5050–5079; see <see cref="Diagnostics.MeshEventIds"/>).</summary>
internal static partial class MdnsLog
{
    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "mDNS discovery started: instance {Instance}, host {Host}, port {Port}, interfaces {Interfaces}")]
    public static partial void Started(ILogger logger, DnsName instance, DnsName host, int port, IReadOnlyList<MdnsInterface> interfaces);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Warning, Message = "mDNS name conflict on {Name}; probing again as {Instance} on {Host}")]
    public static partial void NameConflict(ILogger logger, DnsName name, DnsName instance, DnsName host);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Information, Message = "mDNS advertising {Instance} on {Host}")]
    public static partial void Announced(ILogger logger, DnsName instance, DnsName host);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Debug, Message = "Ignored malformed mDNS packet from {Source}: {Error}")]
    public static partial void MalformedPacket(ILogger logger, IPEndPoint source, DnsFormatError error);

    [LoggerMessage(EventId = 5014, Level = LogLevel.Warning, Message = "mDNS send to {Destination} via {Interface} failed: {Reason}")]
    public static partial void SendFailed(ILogger logger, EndPoint destination, string @interface, string reason);

    [LoggerMessage(EventId = 5015, Level = LogLevel.Warning, Message = "mDNS receive failed: {Reason}")]
    public static partial void ReceiveFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 5016, Level = LogLevel.Warning, Message = "mDNS record cache is full ({Capacity} records); new records are dropped until entries expire")]
    public static partial void CacheFull(ILogger logger, int capacity);

    [LoggerMessage(EventId = 5017, Level = LogLevel.Information, Message = "mDNS peer {Kind}: {NodeId} ({Instance}) at {Addresses}")]
    public static partial void PeerChanged(ILogger logger, DiscoveryEventKind kind, string nodeId, DnsName instance, IReadOnlyList<Transport.PeerAddress> addresses);

    [LoggerMessage(EventId = 5018, Level = LogLevel.Information, Message = "mDNS simultaneous probe for {Name} lost the tiebreak; probing again in 1 s")]
    public static partial void TiebreakLost(ILogger logger, DnsName name);

    [LoggerMessage(EventId = 5019, Level = LogLevel.Information, Message = "mDNS discovery stopped (goodbyes sent: {GoodbyesSent})")]
    public static partial void Stopped(ILogger logger, bool goodbyesSent);

    [LoggerMessage(EventId = 5020, Level = LogLevel.Warning, Message = "mDNS internal step or event handler failed")]
    public static partial void HandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5021, Level = LogLevel.Warning, Message = "mDNS conflict on announced record {Record}; probing the name again")]
    public static partial void AnnouncedConflict(ILogger logger, DnsResourceRecord record);
}
