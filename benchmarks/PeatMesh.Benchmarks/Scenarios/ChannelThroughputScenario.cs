using System.Buffers.Binary;
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

    // Inputs and scratch buffers are made once, so the allocation column shows what the code under test allocates.
    private static readonly byte[] ChannelPayload = BenchKeys.Bytes(ChannelMessageSize, seed: 3);
    private static readonly byte[] MeshPayload = BenchKeys.Bytes(MeshMessageSize, seed: 5);
    private static readonly byte[] RawCiphertext = new byte[ChannelMessageSize];
    private static readonly byte[] RawDecrypted = new byte[ChannelMessageSize];
    private static readonly byte[] ReceiveBuffer = new byte[SecureChannel.MaxPlaintextSize];

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

        var warmUpChannel = Math.Max(1, WarmUpBytes / ChannelMessageSize);
        var warmUpMesh = Math.Max(1, WarmUpBytes / MeshMessageSize);
        using var aead = new ChaCha20Poly1305(BenchKeys.Bytes(32, seed: 7));

        Log($"raw ChaCha20-Poly1305 encrypt: {Fmt.Count(channelMessages)} x {Fmt.Count(ChannelMessageSize)} B, {Repetitions} repetitions");
        var encrypt = await MeasureAsync(ChannelMessageSize, channelMessages, warmUpChannel,
            messages => Task.FromResult(RawCrypto(aead, messages, decrypt: false, cancellationToken)));

        Log($"raw ChaCha20-Poly1305 encrypt + decrypt: {Fmt.Count(channelMessages)} x {Fmt.Count(ChannelMessageSize)} B, {Repetitions} repetitions");
        var encryptDecrypt = await MeasureAsync(ChannelMessageSize, channelMessages, warmUpChannel,
            messages => Task.FromResult(RawCrypto(aead, messages, decrypt: true, cancellationToken)));

        Log($"SecureChannel over loopback TCP: {Fmt.Count(channelMessages)} x {Fmt.Count(ChannelMessageSize)} B, {Repetitions} repetitions");
        List<Sample> channel;
        await using (var pair = await LoopbackSecurePair.CreateAsync(cancellationToken))
        {
            channel = await MeasureAsync(ChannelMessageSize, channelMessages, warmUpChannel,
                messages => SecureChannelTransferAsync(pair, messages, cancellationToken));
        }

        Log($"MeshConnection {MeshProtocols.AutomergeSync}: {Fmt.Count(meshMessages)} x {Fmt.Count(MeshMessageSize)} B, {Repetitions} repetitions");
        List<Sample> mesh;
        await using (var pair = await LoopbackSecurePair.CreateAsync(cancellationToken))
        {
            var (sender, receiver) = await EstablishMeshPairAsync(pair, cancellationToken);
            try
            {
                mesh = await MeasureAsync(MeshMessageSize, meshMessages, warmUpMesh,
                    messages => MeshTransferAsync(sender, receiver, messages, cancellationToken));
            }
            finally
            {
                await sender.Connection.DisposeAsync();
                await receiver.Connection.DisposeAsync();
            }
        }

        var table = new MarkdownTable("Path", ">Message (B)", ">Bytes per repetition", ">Median MiB/s", ">Min MiB/s", ">Max MiB/s",
            ">CPU ms per MiB (median)", ">Allocated bytes per MiB (median)");
        void Row(string path, int messageSize, long bytes, List<Sample> samples) =>
            table.AddRow([path, Fmt.Count(messageSize), Fmt.Count(bytes), .. Fmt.Cells(Rate(samples)),
                Fmt.Number(Summary.Of([.. samples.Select(x => x.CpuMillisecondsPerUnit * Mebibyte)]).Median, 2),
                Fmt.Count((long)Summary.Of([.. samples.Select(x => x.AllocatedBytesPerUnit * Mebibyte)]).Median)]);
        Row("Raw `ChaCha20Poly1305.Encrypt`, 1 thread", ChannelMessageSize, channelBytes, encrypt);
        Row("Raw `Encrypt` then `Decrypt`, 1 thread", ChannelMessageSize, channelBytes, encryptDecrypt);
        Row("`SecureChannel` over loopback TCP", ChannelMessageSize, channelBytes, channel);
        Row($"`MeshConnection` `{MeshProtocols.AutomergeSync}` over `SecureChannel`", MeshMessageSize, meshBytes, mesh);
        section.AddTable(table);

        var ratios = new MarkdownTable("Ratio of median throughputs", ">Value");
        ratios.AddRow("SecureChannel / raw encrypt", Fmt.Number(Rate(channel).Median / Rate(encrypt).Median, 2));
        ratios.AddRow("SecureChannel / raw encrypt + decrypt", Fmt.Number(Rate(channel).Median / Rate(encryptDecrypt).Median, 2));
        ratios.AddRow("MeshConnection / SecureChannel (multiplexer overhead)", Fmt.Number(Rate(mesh).Median / Rate(channel).Median, 2));
        ratios.AddRow("MeshConnection / raw encrypt", Fmt.Number(Rate(mesh).Median / Rate(encrypt).Median, 2));
        section.AddTable(ratios);

        section.AddParagraph(
            $"""
            Method: Stopwatch harness (not BenchmarkDotNet), in one process. Each path gets one warm-up pass of 32 MiB, then
            {Repetitions} measured repetitions of {Fmt.Count(totalBytes / Mebibyte)} MiB; the table gives median, min and max
            (MiB = 2^20 bytes), the process CPU time (user + kernel, all threads) per MiB, which other load on the machine
            disturbs much less than wall-clock throughput, and the managed bytes allocated per MiB moved
            (`GC.GetTotalAllocatedBytes`, both ends). Raw: one thread runs
            `System.Security.Cryptography.ChaCha20Poly1305` on {Fmt.Count(ChannelMessageSize)}-byte buffers (Noise-style
            counter nonce, separate output buffer), no I/O; "then Decrypt" also authenticates and decrypts each ciphertext,
            the work the two channel ends do together. SecureChannel: `Noise_XXpsk3_25519_ChaChaPoly_SHA256` over one TCP
            connection on 127.0.0.1 (NoDelay), seeded identities and PSK as in the channel tests; a sender task calls
            `SendAsync` back to back, a receiver task calls `ReceiveAsync`; the clock runs from the first send until the last
            message is decrypted, so encryption, kernel copies and decryption overlap on the available cores.
            MeshConnection: the same kind of channel wrapped by the multiplexer with default options (256-message queues,
            5 s heartbeats), {Fmt.Count(MeshMessageSize)}-byte messages on `{MeshProtocols.AutomergeSync}`, fragmented into
            {Fmt.Count(ChannelMessageSize - 2)}-byte data frames and reassembled; the clock stops when the receiver has read
            the last whole message from `Incoming`. Every received length is checked, and the last message's bytes.
            """);
    }

    private static Summary Rate(List<Sample> samples) => Summary.Of([.. samples.Select(x => x.PerSecond / Mebibyte)]);

    private static double RawCrypto(ChaCha20Poly1305 aead, long messages, bool decrypt, CancellationToken cancellationToken)
    {
        var plaintext = ChannelPayload;
        Span<byte> tag = stackalloc byte[16];
        Span<byte> nonce = stackalloc byte[12];
        var ciphertext = RawCiphertext;
        var decrypted = RawDecrypted;
        for (long i = 0; i < messages; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            BinaryPrimitives.WriteUInt64LittleEndian(nonce[4..], (ulong)i);
            aead.Encrypt(nonce, plaintext, ciphertext, tag);
            if (decrypt)
            {
                aead.Decrypt(nonce, ciphertext, tag, decrypted);
            }
        }

        return messages * (double)ChannelMessageSize;
    }

    private async Task<List<Sample>> MeasureAsync(int messageSize, long messages, long warmUpMessages, Func<long, Task<double>> transfer)
    {
        await transfer(warmUpMessages);
        var samples = new List<Sample>(Repetitions);
        for (var r = 0; r < Repetitions; r++)
        {
            var sample = await Sample.MeasureAsync(() => transfer(messages));
            if (sample.Units != messages * (double)messageSize)
            {
                throw new InvalidDataException($"Repetition {r + 1} moved {sample.Units} bytes, expected {messages * (double)messageSize}.");
            }

            samples.Add(sample);
            Log($"  repetition {r + 1}/{Repetitions}: {Fmt.Number(sample.PerSecond / Mebibyte)} MiB/s, "
                + $"{Fmt.Number(sample.CpuMillisecondsPerUnit * Mebibyte, 2)} CPU ms/MiB, {Fmt.Count((long)(sample.AllocatedBytesPerUnit * Mebibyte))} B allocated/MiB");
        }

        return samples;
    }

    private static async Task<double> SecureChannelTransferAsync(LoopbackSecurePair pair, long messages, CancellationToken cancellationToken)
    {
        var payload = ChannelPayload;
        var send = Task.Run(async () =>
        {
            for (long i = 0; i < messages; i++)
            {
                await pair.Client.SendAsync(payload, cancellationToken);
            }
        }, cancellationToken);
        var receive = Task.Run(async () =>
        {
            var buffer = ReceiveBuffer;
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
        return messages * (double)ChannelMessageSize;
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

    private static async Task<double> MeshTransferAsync(MeshProtocolChannel sender, MeshProtocolChannel receiver, long messages,
        CancellationToken cancellationToken)
    {
        var payload = MeshPayload;
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
        return messages * (double)MeshMessageSize;
    }

    private void Log(string line) => progress.WriteLine($"[{ScenarioNames.ChannelThroughput}] {line}");
}
