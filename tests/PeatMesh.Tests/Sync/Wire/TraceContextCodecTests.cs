using System.Diagnostics;
using System.Text;
using PeatMesh.Sync.Wire;

namespace PeatMesh.Tests.Sync.Wire;

/// <summary>
/// The TraceContext frame payload: W3C Trace Context Level 1 <c>traceparent</c> [<c>;tracestate</c>]. The example values
/// are the specification's own (§3.2.2 and §3.3.1 examples).
/// </summary>
public class TraceContextCodecTests
{
    private const string W3cTraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private const string W3cTraceState = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE";

    [Fact]
    public void TryDecode_W3cExample_GivesIdsFlagsAndState()
    {
        Assert.True(TraceContextCodec.TryDecode(Encoding.ASCII.GetBytes(W3cTraceParent + ";" + W3cTraceState), out var context));

        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", context.TraceId.ToHexString());
        Assert.Equal("00f067aa0ba902b7", context.SpanId.ToHexString());
        Assert.Equal(ActivityTraceFlags.Recorded, context.TraceFlags);
        Assert.Equal(W3cTraceState, context.TraceState);
        Assert.True(context.IsRemote);
    }

    [Fact]
    public void TryDecode_TraceParentAlone_HasNoState()
    {
        Assert.True(TraceContextCodec.TryDecode(Encoding.ASCII.GetBytes("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"), out var context));

        Assert.Equal(ActivityTraceFlags.None, context.TraceFlags);
        Assert.Null(context.TraceState);
    }

    [Fact]
    public void Encode_W3cExample_IsTheSpecText()
    {
        var context = new ActivityContext(ActivityTraceId.CreateFromString("4bf92f3577b34da6a3ce929d0e0e4736"),
            ActivitySpanId.CreateFromString("00f067aa0ba902b7"), ActivityTraceFlags.Recorded, W3cTraceState);

        Assert.Equal(W3cTraceParent + ";" + W3cTraceState, Encoding.ASCII.GetString(TraceContextCodec.Encode(context)));
    }

    [Fact]
    public void Encode_ThenDecode_RoundTripsRandomContexts()
    {
        for (var i = 0; i < 100; i++)
        {
            var state = i % 3 == 0 ? null : $"vendor{i}=v;{i}";
            var context = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(),
                i % 2 == 0 ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, state);

            Assert.True(TraceContextCodec.TryDecode(TraceContextCodec.Encode(context), out var decoded));
            Assert.Equal(context.TraceId, decoded.TraceId);
            Assert.Equal(context.SpanId, decoded.SpanId);
            Assert.Equal(context.TraceFlags, decoded.TraceFlags);
            Assert.Equal(context.TraceState, decoded.TraceState);
        }
    }

    [Fact]
    public void Encode_TraceStateLongerThan512_IsLeftOut()
    {
        var context = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded,
            "k=" + new string('v', TraceContextCodec.MaxTraceStateLength));

        var text = Encoding.ASCII.GetString(TraceContextCodec.Encode(context));

        Assert.Equal(55, text.Length);
        Assert.DoesNotContain(';', text);
    }

    [Fact]
    public void Encode_DefaultContext_Throws() =>
        Assert.Throws<ArgumentException>(() => TraceContextCodec.Encode(default));

    [Theory]
    [InlineData("")]
    [InlineData("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")] // version ff is invalid (§3.2.2.1)
    [InlineData("00-00000000000000000000000000000000-00f067aa0ba902b7-01")] // all-zero trace id (§3.2.2.3)
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")] // all-zero parent id (§3.2.2.4)
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01")] // trace id one digit short
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7")] // no flags
    [InlineData("not a trace context")]
    public void TryDecode_InvalidTraceParent_Fails(string text) =>
        Assert.False(TraceContextCodec.TryDecode(Encoding.ASCII.GetBytes(text), out _));

    [Fact]
    public void TryDecode_NonAsciiOrControlBytes_Fail()
    {
        var valid = Encoding.ASCII.GetBytes(W3cTraceParent);
        Assert.False(TraceContextCodec.TryDecode([.. valid, (byte)';', 0xC3, 0xA9], out _));
        Assert.False(TraceContextCodec.TryDecode([.. valid, (byte)'\n'], out _));
    }

    [Fact]
    public void TryDecode_PayloadOverLimit_FailsBeforeParsing()
    {
        var payload = Encoding.ASCII.GetBytes(W3cTraceParent + ";k=" + new string('v', TraceContextCodec.MaxPayloadBytes));
        Assert.False(TraceContextCodec.TryDecode(payload, out _));
    }
}
