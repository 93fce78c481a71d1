namespace PeatMesh.Transport;

/// <summary>
/// The first byte of every multiplexer frame (one frame per channel message). Layouts, all integers
/// big-endian (docs/protocol.md "Multiplexing"):
/// <list type="bullet">
/// <item><c>Hello</c>: <c>[0x01][json]</c> — see <see cref="PeerHello"/>.</item>
/// <item><c>Data</c>: <c>[0x02][stream:u8][payload]</c> — a complete message (or its last fragment).</item>
/// <item><c>DataMore</c>: <c>[0x03][stream:u8][payload]</c> — a fragment; more follow on the same stream.</item>
/// <item><c>Ping</c>/<c>Pong</c>: <c>[0x04|0x05][nonce:u64]</c>.</item>
/// <item><c>GoAway</c>: <c>[0x06][utf8 reason]</c> — the sender is closing the connection.</item>
/// </list>
/// </summary>
public enum MuxFrameKind : byte
{
    /// <summary>Connection hello.</summary>
    Hello = 0x01,

    /// <summary>A complete message or the final fragment of one.</summary>
    Data = 0x02,

    /// <summary>A non-final fragment.</summary>
    DataMore = 0x03,

    /// <summary>Heartbeat request.</summary>
    Ping = 0x04,

    /// <summary>Heartbeat answer echoing the nonce.</summary>
    Pong = 0x05,

    /// <summary>Graceful close with a reason.</summary>
    GoAway = 0x06,
}
