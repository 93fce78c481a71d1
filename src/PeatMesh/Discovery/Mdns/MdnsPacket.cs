using System.Net;

namespace PeatMesh.Discovery.Mdns;

/// <summary>A received UDP datagram.</summary>
/// <remarks>Immutable; <see cref="Payload"/> is only valid during the receive callback (the buffer is reused).</remarks>
/// <param name="Payload">The UDP payload.</param>
/// <param name="Source">Sender address and port.</param>
/// <param name="InterfaceIndex">The interface it arrived on (IP_PKTINFO).</param>
internal readonly record struct MdnsPacket(ReadOnlyMemory<byte> Payload, IPEndPoint Source, int InterfaceIndex);
