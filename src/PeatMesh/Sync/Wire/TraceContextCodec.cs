using System.Diagnostics;
using System.Text;

namespace PeatMesh.Sync.Wire;

/// <summary>
/// The payload of a <see cref="SyncMessageType.TraceContext"/> frame (PeatMesh extension, docs/protocol.md §3): the W3C
/// Trace Context (Level 1, §3.2 <c>traceparent</c>, §3.3 <c>tracestate</c>) of the span that sent the frames that follow,
/// as printable ASCII <c>traceparent</c>, optionally followed by <c>;</c> and <c>tracestate</c>, e.g.
/// <c>00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01;congo=t61rcWkgMzE</c>. A traceparent never contains
/// <c>;</c>, so the first one separates the two headers (a tracestate value may contain <c>;</c>).
/// </summary>
/// <remarks>Thread-safe: stateless.</remarks>
public static class TraceContextCodec
{
    /// <summary>
    /// The hello feature (<see cref="Transport.PeerHello.Features"/>) of a node that accepts TraceContext frames:
    /// <c>sync-trace-context/1</c>. Frames are sent only to peers that list it, so nodes that predate the extension
    /// (which refuse unknown frame types) never receive one.
    /// </summary>
    public const string HelloFeature = "sync-trace-context/1";

    /// <summary>
    /// Largest payload accepted, in bytes (1,024): a 55-byte traceparent, the separator and a tracestate of up to the
    /// 512 characters W3C asks propagators to keep, with room to spare. Larger payloads are ignored.
    /// </summary>
    public const int MaxPayloadBytes = 1024;

    /// <summary>Longest tracestate sent, in characters (512, W3C Trace Context §3.3.1.5); a longer one is left out.</summary>
    public const int MaxTraceStateLength = 512;

    /// <summary>Encodes <paramref name="context"/> (its trace flags and, if short enough, its trace state).</summary>
    /// <exception cref="ArgumentException">The context has no trace id or span id (a default context).</exception>
    public static byte[] Encode(ActivityContext context)
    {
        if (context.TraceId == default || context.SpanId == default)
        {
            throw new ArgumentException("A trace context needs a trace id and a span id.", nameof(context));
        }

        var flags = (context.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00";
        var text = $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{flags}";
        if (context.TraceState is { Length: > 0 and <= MaxTraceStateLength } state && IsPrintableAscii(state))
        {
            text += ";" + state;
        }

        return Encoding.ASCII.GetBytes(text);
    }

    /// <summary>
    /// Decodes a payload into a remote <see cref="ActivityContext"/>. Fails (returns false, never throws) for a payload
    /// longer than <see cref="MaxPayloadBytes"/>, bytes outside printable ASCII, or a traceparent W3C does not allow
    /// (wrong shape, version <c>ff</c>, all-zero trace or span id).
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> payload, out ActivityContext context)
    {
        context = default;
        if (payload.IsEmpty || payload.Length > MaxPayloadBytes)
        {
            return false;
        }

        foreach (var b in payload)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return false;
            }
        }

        var text = Encoding.ASCII.GetString(payload);
        var separator = text.IndexOf(';', StringComparison.Ordinal);
        var traceparent = separator < 0 ? text : text[..separator];
        var tracestate = separator < 0 ? null : text[(separator + 1)..];
        return ActivityContext.TryParse(traceparent, tracestate, isRemote: true, out context);
    }

    private static bool IsPrintableAscii(string value)
    {
        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
