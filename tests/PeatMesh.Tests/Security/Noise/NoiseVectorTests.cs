using System.Text;
using PeatMesh.Security.Noise;

namespace PeatMesh.Tests.Security.Noise;

/// <summary>
/// Conformance against the cacophony, snow and noise-c vectors (testdata/noise): every handshake message's
/// ciphertext, the handshake hash where given, and every transport message in both directions.
/// </summary>
public class NoiseVectorTests
{
    public static TheoryData<string, int, string> AllVectors()
    {
        var data = new TheoryData<string, int, string>();
        foreach (var file in NoiseTestVector.Files)
        {
            foreach (var vector in NoiseTestVector.Load(file))
            {
                data.Add(file, vector.Index, vector.ProtocolName);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllVectors))]
    public void Handshake_PublishedVector_ReproducesEveryMessage(string file, int index, string protocolName)
    {
        var vector = NoiseTestVector.Load(file)[index];
        Assert.Equal(protocolName, vector.ProtocolName);
        using var initiator = new HandshakeState(Parameters(vector, initiator: true));
        using var responder = new HandshakeState(Parameters(vector, initiator: false));
        NoiseTransport? initiatorTransport = null;
        NoiseTransport? responderTransport = null;
        try
        {
            var oneWay = initiator.Pattern.IsOneWay;
            for (var i = 0; i < vector.Messages.Count; i++)
            {
                var (payload, ciphertext) = vector.Messages[i];
                var fromInitiator = oneWay || i % 2 == 0;
                var step = $"{vector} message {i} ({(fromInitiator ? "initiator->responder" : "responder->initiator")})";
                if (!initiator.IsCompleted)
                {
                    var (writer, reader) = fromInitiator ? (initiator, responder) : (responder, initiator);
                    Assert.True(writer.IsMyTurnToWrite, step + ": writer's turn");
                    var written = writer.WriteMessage(payload);
                    Assert.True(ciphertext.AsSpan().SequenceEqual(written), step + ": handshake ciphertext differs");
                    var read = reader.ReadMessage(ciphertext);
                    Assert.True(payload.AsSpan().SequenceEqual(read), step + ": handshake payload differs");
                    Assert.True(initiator.HandshakeHash.SequenceEqual(responder.HandshakeHash), step + ": running h differs between roles");
                    if (initiator.IsCompleted)
                    {
                        Assert.True(responder.IsCompleted, step + ": responder not complete");
                        if (vector.HandshakeHash is not null)
                        {
                            Assert.Equal(Convert.ToHexStringLower(vector.HandshakeHash), Convert.ToHexStringLower(initiator.HandshakeHash));
                        }

                        initiatorTransport = initiator.Split();
                        responderTransport = responder.Split();
                        Assert.True(initiatorTransport.HandshakeHash.SequenceEqual(responderTransport.HandshakeHash), step + ": final h differs");
                    }
                }
                else
                {
                    var (sender, receiver) = fromInitiator ? (initiatorTransport!, responderTransport!) : (responderTransport!, initiatorTransport!);
                    var message = new byte[payload.Length + NoiseConstants.TagSize];
                    Assert.Equal(message.Length, sender.WriteMessage(payload, message));
                    Assert.True(ciphertext.AsSpan().SequenceEqual(message), step + ": transport ciphertext differs");
                    var plaintext = new byte[ciphertext.Length];
                    var length = receiver.ReadMessage(ciphertext, plaintext);
                    Assert.True(payload.AsSpan().SequenceEqual(plaintext.AsSpan(0, length)), step + ": transport payload differs");
                }
            }

            Assert.True(initiator.IsCompleted, vector + ": handshake never completed");
        }
        finally
        {
            initiatorTransport?.Dispose();
            responderTransport?.Dispose();
        }
    }

    [Fact]
    public void Vectors_RequiredPatterns_ArePresentInEveryFile()
    {
        foreach (var file in NoiseTestVector.Files)
        {
            var names = NoiseTestVector.Load(file).Select(v => v.ProtocolName).ToHashSet();
            Assert.Contains("Noise_XX_25519_ChaChaPoly_SHA256", names);
        }

        Assert.Contains(NoiseTestVector.Load(NoiseTestVector.Files[0]), v => v.ProtocolName == "Noise_XXpsk3_25519_ChaChaPoly_SHA256");
    }

    [Fact]
    public void SymmetricState_XxProtocolNameOf32Bytes_InitializesHToTheAsciiBytes()
    {
        const string name = "Noise_XX_25519_ChaChaPoly_SHA256";
        var ascii = Encoding.ASCII.GetBytes(name);
        Assert.Equal(32, ascii.Length);
        using var state = new SymmetricState(name);
        Assert.True(state.HandshakeHash.SequenceEqual(ascii));
    }

    private static HandshakeParameters Parameters(NoiseTestVector v, bool initiator) => new()
    {
        ProtocolName = v.ProtocolName,
        Initiator = initiator,
        Prologue = initiator ? v.InitPrologue : v.RespPrologue,
        LocalStaticPrivateKey = (initiator ? v.InitStatic : v.RespStatic) ?? ReadOnlyMemory<byte>.Empty,
        LocalEphemeralPrivateKey = (initiator ? v.InitEphemeral : v.RespEphemeral) ?? ReadOnlyMemory<byte>.Empty,
        RemoteStaticPublicKey = (initiator ? v.InitRemoteStatic : v.RespRemoteStatic) ?? ReadOnlyMemory<byte>.Empty,
        PreSharedKeys = [.. (initiator ? v.InitPsks : v.RespPsks).Select(p => (ReadOnlyMemory<byte>)p)],
    };
}
