using System.Net;
using System.Net.Sockets;
using PeatMesh.Security;
using PeatMesh.Security.Noise;
using PeatMesh.Transport;

namespace PeatMesh.Tests.Security.Noise;

/// <summary>Seeded identities, PSKs and helpers shared by the secure-channel socket tests.</summary>
public abstract class SecureChannelTestBase : IDisposable
{
    protected static readonly byte[] Psk = TestKeys.Psk(seed: 1);
    protected static readonly byte[] OtherPsk = TestKeys.Psk(seed: 2);

    protected SecureChannelTestBase()
    {
        ServerIdentity = TestKeys.Identity(seed: 101);
        ClientIdentity = TestKeys.Identity(seed: 102);
    }

    protected DeviceKeypair ServerIdentity { get; }

    protected DeviceKeypair ClientIdentity { get; }

    protected SecureChannelOptions ServerOptions(TimeSpan? timeout = null) => TestKeys.Options(ServerIdentity, Psk, timeout);

    protected SecureChannelOptions ClientOptions(byte[]? psk = null, TimeSpan? timeout = null) => TestKeys.Options(ClientIdentity, psk ?? Psk, timeout);

    protected static async Task<SecureChannel> ConnectAsync(int port, SecureChannelOptions options, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
        return await SecureChannel.ConnectAsync(new NetworkStream(socket, ownsSocket: true), options, cancellationToken);
    }

    /// <summary>After a misbehaving client, a good client still gets a working, authenticated channel.</summary>
    protected async Task AssertListenerStillServesAsync(ChannelTestListener listener)
    {
        await using var client = await ConnectAsync(listener.Port, ClientOptions()).Within("good client handshake after a bad one");
        var server = await listener.NextChannelAsync("server accepts the good client");
        Assert.Equal(ClientIdentity.DeviceId, server.RemoteDeviceId);
        Assert.Equal(ServerIdentity.DeviceId, client.RemoteDeviceId);

        var buffer = new byte[SecureChannel.MaxPlaintextSize];
        await client.SendAsync("ping"u8.ToArray()).Within("good client sends");
        var length = await server.ReceiveAsync(buffer).Within("server receives from the good client");
        Assert.Equal("ping"u8.ToArray(), buffer[..length]);
    }

    protected static async Task<MeshTransportException> ThrowsTransportAsync(Func<Task> action, string step) =>
        await Assert.ThrowsAsync<MeshTransportException>(() => action().Within(step));

    /// <summary>The next server outcome is a <see cref="MeshTransportException"/> of class <paramref name="expected"/>.</summary>
    protected static async Task<MeshTransportException> AssertServerFailsAsync(ChannelTestListener listener, MeshTransportError expected, string step)
    {
        var error = await listener.NextErrorAsync(step);
        var ex = Assert.IsType<MeshTransportException>(error);
        Assert.True(ex.Error == expected, $"Step '{step}': expected {expected}, got {ex.Error}: {ex.Message}");
        return ex;
    }

    public void Dispose()
    {
        ServerIdentity.Dispose();
        ClientIdentity.Dispose();
        GC.SuppressFinalize(this);
    }
}
