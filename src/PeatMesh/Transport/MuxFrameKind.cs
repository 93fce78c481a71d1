namespace PeatMesh.Transport;

/// <summary>
/// The first byte of every multiplexer frame (one frame per channel message). Layouts, all integers
/// big-endian (docs/protocol.md "Multiplexing"):
/// <list type="bullet">
/// <item><c>Hello</c>: <c>[0x01][json]</c> — see <see cref="PeerHello"/>.</item>
/// <item><c>Data</c>: <c>[0x02][stream:u8][payload]</c> — a complete message.</item>
/// <item><c>DataStart</c>: <c>[0x03][stream:u8][total_length:u32][payload]</c> — the first fragment of a larger message.</item>
/// <item><c>DataContinue</c>: <c>[0x07][stream:u8][payload]</c> — a following fragment; the message is complete when <c>total_length</c> bytes arrived.</item>
/// <item><c>Ping</c>/<c>Pong</c>: <c>[0x04|0x05][nonce:u64]</c>.</item>
/// <item><c>GoAway</c>: <c>[0x06][utf8 reason]</c> — the sender is closing the connection.</item>
/// </list>
/// </summary>
public enum MuxFrameKind : byte
{
    /// <summary>Connection hello.</summary>
    Hello = 0x01,

    /// <summary>A complete message.</summary>
    Data = 0x02,

    /// <summary>The first fragment of a message too large for one frame; carries the message's total length.</summary>
    DataStart = 0x03,

    /// <summary>Heartbeat request.</summary>
    Ping = 0x04,

    /// <summary>Heartbeat answer echoing the nonce.</summary>
    Pong = 0x05,

    /// <summary>Graceful close with a reason.</summary>
    GoAway = 0x06,

    /// <summary>A following fragment of the message a <see cref="DataStart"/> began.</summary>
    DataContinue = 0x07,
}
