using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using PeatMesh.Benchmarks.Cli;
using PeatMesh.Benchmarks.Reporting;
using PeatMesh.Benchmarks.Support;
using PeatMesh.Security.Noise;
using PeatMesh.Transport;
using PeatMesh.Transport.Tcp;

namespace PeatMesh.Benchmarks.Scenarios;

/// <summary>
/// One-way bulk throughput over a real loopback TCP connection: <see cref="SecureChannel"/> with 65,519-byte messages
/// (the largest Noise plaintext) and <see cref="MeshConnection"/> (<c>cap/automerge/1</c>, 1 MiB messages) on top of it,
/// compared with raw single-threaded <see cref="ChaCha20Poly1305"/> encryption of the same bytes.
/// </summary>
public sealed class ChannelThroughputScenario(HarnessOptions options, TextWriter progress) : IScenario
{
    /// <summary>Measured repetitions of each path.</summary>
    public const int Repetitions = 5;

    private const int Mebibyte = 1024 * 1024;
    private const int ChannelMessageSize = SecureChannel.MaxPlaintextSize;
    private const int MeshMessageSize = Mebibyte;
    private const long WarmUpBytes = 32L * Mebibyte;
    private static readonly TimeSpan TransferTimeout = TimeSpan.FromMinutes(5);

    /// <inheritdoc />
    public string Name => ScenarioNames.ChannelThroughput;

    /// <inheritdoc />
    public string Title => "channel-throughput";

    /// <inheritdoc />
    public async Task RunAsync(ReportSection section, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(section);
        var totalBytes = (long)options.ChannelMebibytes * Mebibyte;
        var channelMessages = (totalBytes + ChannelMessageSize - 1) / ChannelMessageSize;
        var channelBytes = channelMessages * ChannelMessageSize;
        var meshMessages = totalBytes / MeshMessageSize;
        var meshBytes = meshMessages * MeshMessageSize;

        Log($"raw ChaCha20-Poly1305 encrypt: {Fmt.Count(channelMessages)} x {Fmt.Count(ChannelMessageSize)} B, {Repetitions} repetitions");
        var raw = MeasureRawEncrypt(channelMessages, cancellationToken);

        Log($"SecureChannel over loopback TCP: {Fmt.Count(channelMessages)} x {Fmt.Count(ChannelMessageSize)} B, {Repetitions} repetitions");
        List<double> channel;
        await using (var pair = await LoopbackSecurePair.CreateAsync(cancellationToken))
        {
            channel = await MeasureAsync(channelMessages, ChannelMessageSize, messages => SecureChannelTransferAsync(pair, messages, cancellationToken),
                Math.Max(1, WarmUpBytes / ChannelMessageSize));
        }

        Log($"MeshConnection {MeshProtocols.AutomergeSync}: {Fmt.Count(meshMessages)} x {Fmt.Count(MeshMessageSize)} B, {Repetitions} repetitions");
        List<double> mesh;
        await using (var pair = await LoopbackSecurePair.CreateAsync(cancellationToken))
        {
            var (sender, receiver) = await EstablishMeshPairAsync(pair, cancellationToken);
            try
            {
                mesh = await MeasureAsync(meshMessages, MeshMessageSize, messages => MeshTransferAsync(sender, receiver, messages, cancellationToken),
                    Math.Max(1, WarmUpBytes / MeshMessageSize));
            }
            finally
            {
                await sender.Connection.DisposeAsync();
                await receiver.Connection.DisposeAsync();
            }
        }

        var rawSummary = Summary.Of(raw);
        var channelSummary = Summary.Of(channel);
        var meshSummary = Summary.Of(mesh);
        var table = new MarkdownTable("Path", ">Message (B)", ">Bytes per repetition", ">Median MiB/s", ">Min MiB/s", ">Max MiB/s");
        table.AddRow(["Raw `ChaCha20Poly1305.Encrypt`, 1 thread", Fmt.Count(ChannelMessageSize), Fmt.Count(channelBytes), .. Fmt.Cells(rawSummary)]);
        table.AddRow(["`SecureChannel` over loopback TCP", Fmt.Count(ChannelMessageSize), Fmt.Count(channelBytes), .. Fmt.Cells(channelSummary)]);
        table.AddRow([$"`MeshConnection` `{MeshProtocols.AutomergeSync}` over `SecureChannel`", Fmt.Count(MeshMessageSize), Fmt.Count(meshBytes), .. Fmt.Cells(meshSummary)]);
        section.AddTable(table);

        var ratios = new MarkdownTable("Ratio of medians", ">Value");
        ratios.AddRow("SecureChannel / raw encrypt", Fmt.Number(channelSummary.Median / rawSummary.Median, 2));
        ratios.AddRow("MeshConnection / SecureChannel (mux overhead)", Fmt.Number(meshSummary.Median / channelSummary.Median, 2));
        ratios.AddRow("MeshConnection / raw encrypt", Fmt.Number(meshSummary.Median / rawSummary.Median, 2));
        section.AddTable(ratios);

        section.AddParagraph(
            $"""
            Method: Stopwatch harness (not BenchmarkDotNet), in one process. Each path gets one warm-up pass of 32 MiB, then
            {Repetitions} measured repetitions of {Fmt.Count(totalBytes / Mebibyte)} MiB; the table gives median, min and max
            (MiB = 2^20 bytes). Raw: one thread encrypts {Fmt.Count(ChannelMessageSize)}-byte buffers with
            `System.Security.Cryptography.ChaCha20Poly1305` (Noise-style counter nonce, separate output buffer), no I/O.
            SecureChannel: `Noise_XXpsk3_25519_ChaChaPoly_SHA256` over one TCP connection on 127.0.0.1 (NoDelay), seeded
            identities and PSK as in the channel tests; a sender task calls `SendAsync` back to back, a receiver task calls
            `ReceiveAsync`; the clock runs from the first send until the last message is decrypted, so encryption, the
            kernel copies and decryption overlap on the available cores. MeshConnection: the same channel wrapped by the
            multiplexer with default options (256-message queues, 5 s heartbeats), {Fmt.Count(MeshMessageSize)}-byte messages
            on `{MeshProtocols.AutomergeSync}`, fragmented into {Fmt.Count(ChannelMessageSize - 2)}-byte data frames and
            reassembled; the clock stops when the receiver has read the last whole message from `Incoming`.
            """);
    }

    private static List<double> MeasureRawEncrypt(long messages, CancellationToken cancellationToken)
    {
        using var aead = new ChaCha20Poly1305(BenchKeys.Bytes(32, seed: 7));
        var plaintext = BenchKeys.Bytes(ChannelMessageSize, seed: 3);
        var ciphertext = new byte[ChannelMessageSize];
        var tag = new byte[16];
        var nonce = new byte[12];
        ulong counter = 0;

        void Run(long count)
        {
            for (long i = 0; i < count; i++)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(nonce.AsSpan(4), counter++);
                aead.Encrypt(nonce, plaintext, ciphertext, tag);
            }
        }

        Run(Math.Max(1, WarmUpBytes / ChannelMessageSize));
        var rates = new List<double>(Repetitions);
        for (var r = 0; r < Repetitions; r++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var watch = Stopwatch.StartNew();
            Run(messages);
            rates.Add(messages * (double)ChannelMessageSize / Mebibyte / watch.Elapsed.TotalSeconds);
        }

        return rates;
    }

    private async Task<List<double>> MeasureAsync(long messages, int messageSize, Func<long, Task<TimeSpan>> transfer, long warmUpMessages)
    {
        await transfer(warmUpMessages);
        var rates = new List<double>(Repetitions);
        for (var r = 0; r < Repetitions; r++)
        {
            var elapsed = await transfer(messages);
            rates.Add(messages * (double)messageSize / Mebibyte / elapsed.TotalSeconds);
            Log($"  repetition {r + 1}/{Repetitions}: {Fmt.Number(rates[^1])} MiB/s");
        }

        return rates;
    }

    private static async Task<TimeSpan> SecureChannelTransferAsync(LoopbackSecurePair pair, long messages, CancellationToken cancellationToken)
    {
        var payload = BenchKeys.Bytes(ChannelMessageSize, seed: 3);
        var watch = Stopwatch.StartNew();
        var send = Task.Run(async () =>
        {
            for (long i = 0; i < messages; i++)
            {
                await pair.Client.SendAsync(payload, cancellationToken);
            }
        }, cancellationToken);
        var receive = Task.Run(async () =>
        {
            var buffer = new byte[SecureChannel.MaxPlaintextSize];
            for (long i = 0; i < messages; i++)
            {
                var length = await pair.Server.ReceiveAsync(buffer, cancellationToken);
                if (length != ChannelMessageSize)
                {
                    throw new InvalidDataException($"SecureChannel message {i} has {length} bytes, expected {ChannelMessageSize}.");
                }
            }

            if (!buffer.AsSpan().SequenceEqual(payload))
            {
                throw new InvalidDataException("The last SecureChannel message differs from what was sent.");
            }
        }, cancellationToken);
        await Task.WhenAll(send, receive).WithinAsync(TransferTimeout, $"SecureChannel transfer of {messages} messages", cancellationToken);
        return watch.Elapsed;
    }

    private static async Task<(MeshProtocolChannel Sender, MeshProtocolChannel Receiver)> EstablishMeshPairAsync(
        LoopbackSecurePair pair, CancellationToken cancellationToken)
    {
        var options = new MeshConnectionOptions();
        PeerHello Hello(string node) => new(node, 0, 0, "bench", [MeshProtocols.AutomergeSync]);
        var outbound = MeshConnection.EstablishAsync(new SecureMessageChannel(pair.Client), Hello("bench-a"), ConnectionDirection.Outbound,
            null, options, TimeProvider.System, NullLogger.Instance, cancellationToken);
        var inbound = MeshConnection.EstablishAsync(new SecureMessageChannel(pair.Server), Hello("bench-b"), ConnectionDirection.Inbound,
            null, options, TimeProvider.System, NullLogger.Instance, cancellationToken);
        await Task.WhenAll(outbound, inbound).WithinAsync(TimeSpan.FromSeconds(30), "MeshConnection hello exchange", cancellationToken);
        return ((await outbound).GetProtocol(MeshProtocols.AutomergeSync), (await inbound).GetProtocol(MeshProtocols.AutomergeSync));
    }

    private static async Task<TimeSpan> MeshTransferAsync(MeshProtocolChannel sender, MeshProtocolChannel receiver, long messages,
        CancellationToken cancellationToken)
    {
        var payload = BenchKeys.Bytes(MeshMessageSize, seed: 5);
        var watch = Stopwatch.StartNew();
        var send = Task.Run(async () =>
        {
            for (long i = 0; i < messages; i++)
            {
                await sender.SendAsync(payload, cancellationToken);
            }
        }, cancellationToken);
        var receive = Task.Run(async () =>
        {
            byte[] last = [];
            for (long i = 0; i < messages; i++)
            {
                last = await receiver.Incoming.ReadAsync(cancellationToken);
                if (last.Length != MeshMessageSize)
                {
                    throw new InvalidDataException($"MeshConnection message {i} has {last.Length} bytes, expected {MeshMessageSize}.");
                }
            }

            if (!last.AsSpan().SequenceEqual(payload))
            {
                throw new InvalidDataException("The last MeshConnection message differs from what was sent.");
            }
        }, cancellationToken);
        await Task.WhenAll(send, receive).WithinAsync(TransferTimeout, $"MeshConnection transfer of {messages} messages", cancellationToken);
        return watch.Elapsed;
    }

    private void Log(string line) => progress.WriteLine($"[{ScenarioNames.ChannelThroughput}] {line}");
}
