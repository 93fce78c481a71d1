using PeatMesh.Discovery.Mdns;

namespace PeatMesh.Tests.Discovery.Mdns;

/// <summary>
/// Seeded mutation fuzzing: mutated valid packets and random bytes are either rejected with a
/// <see cref="DnsFormatError"/> or parse into a message that survives a write/parse round trip unchanged.
/// </summary>
public class DnsMessageFuzzTests
{
    private const int Iterations = 20_000;

    private static IReadOnlyList<byte[]> Seeds() =>
    [
        MdnsTestData.Response,
        MdnsTestData.BrowseQueryQm,
        MdnsTestData.BrowseQueryQu,
        DnsMessageRoundTripTests.SampleResponse().ToArray(),
        DnsMessageRoundTripTests.SampleResponse().ToArray(compressNames: false),
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void TryParse_MutatedPackets_RejectOrRoundTrip(int seed)
    {
        var random = new Random(seed);
        var seeds = Seeds();
        var accepted = 0;
        var rejected = new Dictionary<DnsFormatError, int>();
        for (var i = 0; i < Iterations; i++)
        {
            var packet = Mutate(seeds[random.Next(seeds.Count)], random);
            if (Check(packet, seed, i) is { } error)
            {
                rejected[error] = rejected.GetValueOrDefault(error) + 1;
            }
            else
            {
                accepted++;
            }
        }

        // The mutations must exercise both outcomes and several rejection paths, or the fuzzer is not fuzzing.
        Assert.True(accepted > Iterations / 20, $"only {accepted} accepted");
        Assert.True(rejected.Count >= 5, "rejections: " + string.Join(", ", rejected));
    }

    [Fact]
    public void TryParse_RandomBytes_NeverThrows()
    {
        var random = new Random(42);
        for (var i = 0; i < Iterations; i++)
        {
            var packet = new byte[random.Next(0, 400)];
            random.NextBytes(packet);
            if (packet.Length >= 12)
            {
                // Small counts, so that the body is actually parsed rather than rejected by the count check.
                for (var c = 4; c < 12; c += 2)
                {
                    packet[c] = 0;
                    packet[c + 1] = (byte)random.Next(0, 4);
                }
            }

            Check(packet, 42, i);
        }
    }

    /// <summary>Parses; on success, writes and parses again and requires the same message. Returns the rejection, if any.</summary>
    private static DnsFormatError? Check(byte[] packet, int seed, int iteration)
    {
        DnsMessage? message;
        DnsFormatError error;
        try
        {
            if (!DnsMessage.TryParse(packet, out message, out error))
            {
                Assert.NotEqual(DnsFormatError.None, error);
                return error;
            }
        }
        catch (Exception e)
        {
            Assert.Fail($"seed {seed} iteration {iteration}: TryParse threw {e.GetType().Name}: {e.Message} on {Convert.ToHexString(packet)}");
            return null;
        }

        byte[] written;
        try
        {
            written = message.ToArray();
        }
        catch (InvalidOperationException)
        {
            return null; // re-encoding exceeded 9000 bytes (the original used denser compression): acceptable
        }

        Assert.True(DnsMessage.TryParse(written, out var again, out error), $"seed {seed} iteration {iteration}: re-parse failed with {error}");
        Assert.True(message.Equals(again), $"seed {seed} iteration {iteration}: round trip changed the message {Convert.ToHexString(packet)}");
        return null;
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(8))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 3:
                    bytes.InsertRange(at, Enumerable.Range(0, random.Next(1, 8)).Select(_ => (byte)random.Next(256)));
                    break;
                case 4:
                    var length = Math.Min(random.Next(1, 16), bytes.Count - at);
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
                case 5:
                    bytes[Math.Min(4 + (2 * random.Next(4)) + 1, bytes.Count - 1)] = (byte)random.Next(6);
                    break;
                case 6:
                    // A compression pointer somewhere in the packet.
                    if (at + 1 < bytes.Count)
                    {
                        bytes[at] = (byte)(0xC0 | random.Next(2));
                        bytes[at + 1] = (byte)random.Next(256);
                    }

                    break;
                default:
                    bytes.RemoveAt(at);
                    break;
            }
        }

        return [.. bytes];
    }
}
