using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PeatMesh.Automerge.Json;
using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Sync;
using PeatMesh.Automerge.Tests.Interop;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests.Cli;

/// <summary>
/// The <c>peat automerge</c> commands as a user runs them (a real <c>peat</c> process; no node needed): framing and
/// garbage handling of <c>sync --stdio</c>, errors of <c>to-json</c>/<c>from-json</c>, and <c>bench-trace</c> on the paper
/// trace and on small traces.
/// </summary>
public class AutomergeCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static TheoryData<string, byte[], string> GarbageFrames => new()
    {
        { "length over the limit", Frame(uint.MaxValue, []), "exceeds the limit" },
        { "truncated header", [0x00, 0x00], "inside a frame header" },
        { "truncated payload", Frame(10, [0x42, 0x00, 0x00]), "inside a frame" },
        { "not a sync message", Frame(2, [0x00, 0x01]), "not an Automerge sync message" },
        { "sync message with a garbage change", Frame(SyncMessageWithChange([0x85, 0x6f, 0x4a, 0x83, 1, 2, 3, 4, 1, 5, 0, 0])), "frame 1 carries invalid changes" },
        { "truncated sync message", Frame(SyncMessageWithChange([0x85])[..^1]), "not an Automerge sync message" },
    };

    [Theory]
    [MemberData(nameof(GarbageFrames))]
    public async Task Sync_GarbageInput_ExitsNonZeroWithMessageAndWritesNothing(string scenario, byte[] input, string expected)
    {
        using var dir = new TempDir();
        var docIn = dir.File("in.automerge");
        await File.WriteAllBytesAsync(docIn, DemoDoc());
        var (exitCode, stdout, stderr) = await PeatCli.RunAsync(input, Timeout, "automerge", "sync", "--stdio", "--doc", docIn, "--out", dir.File("out.automerge"));

        Assert.True(exitCode == 1, $"{scenario}: exit code {exitCode}, stderr: {stderr}");
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.StartsWith("peat automerge sync: ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal); // a message, not a stack trace
        Assert.False(File.Exists(dir.File("out.automerge")), scenario);
        Assert.True(stdout.Length >= 4, "the first frame is written before any input is read");
    }

    [Fact]
    public async Task Sync_FrameLongerThanMaxFrame_RejectedBeforeReadingIt()
    {
        using var dir = new TempDir();
        await File.WriteAllBytesAsync(dir.File("in.automerge"), []);
        var (exitCode, _, stderr) = await PeatCli.RunAsync(Frame(17, new byte[17]), Timeout,
            "automerge", "sync", "--stdio", "--doc", dir.File("in.automerge"), "--out", dir.File("out.automerge"), "--max-frame", "16");

        Assert.Equal(1, exitCode);
        Assert.Contains("Frame length 17 bytes exceeds the limit of 16 bytes", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_NoInput_WritesFirstFrameThenSavesDocument()
    {
        using var dir = new TempDir();
        await File.WriteAllBytesAsync(dir.File("in.automerge"), DemoDoc());
        var (exitCode, stdout, stderr) = await PeatCli.RunAsync([], Timeout,
            "automerge", "sync", "--stdio", "--doc", dir.File("in.automerge"), "--out", dir.File("out.automerge"));

        Assert.True(exitCode == 0, stderr);
        var length = BinaryPrimitives.ReadUInt32BigEndian(stdout);
        Assert.Equal(4 + (int)length, stdout.Length);
        var first = SyncMessage.Decode(stdout.AsSpan(4));
        var doc = AutomergeDocument.Load(DemoDoc());
        Assert.Equal(doc.Heads, first.Heads); // spec §4.4: the opener carries our heads and a bloom of our changes
        Assert.Equal(doc.Heads, AutomergeDocument.Load(await File.ReadAllBytesAsync(dir.File("out.automerge"))).Heads);
    }

    [Fact]
    public async Task Sync_EmptyFramesOnly_AnswersEachWithAFrame()
    {
        // Lockstep: one frame out at start, then one per frame in; an empty frame in gets our (unchanged) next frame.
        using var dir = new TempDir();
        await File.WriteAllBytesAsync(dir.File("in.automerge"), []);
        var (exitCode, stdout, stderr) = await PeatCli.RunAsync([.. Frame(0, []), .. Frame(0, [])], Timeout,
            "automerge", "sync", "--stdio", "--doc", dir.File("in.automerge"), "--out", dir.File("out.automerge"));

        Assert.True(exitCode == 0, stderr);
        var frames = SplitFrames(stdout);
        Assert.Equal(3, frames.Count);
        Assert.NotEmpty(frames[0]);     // the opener
        Assert.Empty(frames[1]);        // nothing new to say: in flight, waiting for an answer
        Assert.Empty(frames[2]);
    }

    [Fact]
    public async Task Sync_TwoPeatProcesses_Converge()
    {
        using var dir = new TempDir();
        var a = Docs.New(Actors.A);
        a.Change(tx => tx.Put(ObjId.Root, "from", ScalarValue.Str("a")));
        var b = Docs.New(Actors.B);
        b.Change(tx => tx.SpliceText(tx.PutObject(ObjId.Root, "text", ObjType.Text), 0, 0, "from b"));
        await File.WriteAllBytesAsync(dir.File("a.automerge"), a.Save());
        await File.WriteAllBytesAsync(dir.File("b.automerge"), b.Save());

        await using var peerA = PeatCli.Start("peat sync A", "automerge", "sync", "--stdio", "--doc", dir.File("a.automerge"), "--out", dir.File("a-out.automerge"));
        await using var peerB = PeatCli.Start("peat sync B", "automerge", "sync", "--stdio", "--doc", dir.File("b.automerge"), "--out", dir.File("b-out.automerge"));
        await SyncRelay.RunAsync(peerA, peerB, maxRounds: 20, TimeSpan.FromSeconds(60));
        Assert.True(await peerA.WaitForExitAsync(Timeout, "exit") == 0, peerA.Stderr);
        Assert.True(await peerB.WaitForExitAsync(Timeout, "exit") == 0, peerB.Stderr);

        a.Merge(b);
        var outA = AutomergeDocument.Load(await File.ReadAllBytesAsync(dir.File("a-out.automerge")));
        var outB = AutomergeDocument.Load(await File.ReadAllBytesAsync(dir.File("b-out.automerge")));
        Assert.Equal(a.Heads, outA.Heads);
        Assert.Equal(a.Heads, outB.Heads);
        Assert.Equal("""{"from":"a","text":"from b"}""", AutomergeJson.ToJsJson(outB));
    }

    [Fact]
    public async Task ToJson_MissingAndCorruptFiles_ExitOneWithMessage()
    {
        using var dir = new TempDir();
        await File.WriteAllBytesAsync(dir.File("corrupt.automerge"), [0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, 1, 9]);

        var missing = await PeatCli.RunAsync(null, Timeout, "automerge", "to-json", dir.File("missing.automerge"));
        var corrupt = await PeatCli.RunAsync(null, Timeout, "automerge", "to-json", dir.File("corrupt.automerge"));
        var crasher = await PeatCli.RunAsync(null, Timeout, "automerge", "to-json", RepoPaths.TestData("automerge", "fuzz-crashers", "action-is-48.automerge"));

        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no such file", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, corrupt.ExitCode);
        Assert.StartsWith("peat automerge to-json: ", corrupt.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, crasher.ExitCode);
        Assert.Empty(crasher.Stdout);
    }

    [Theory]
    [InlineData("[1,2]", "must be an object")]
    [InlineData("{\"a\":", "not valid JSON")]
    [InlineData("{\"a\":1e999}", "outside the double range")]
    [InlineData("{\"a\":\"\\ud800\"}", "lone surrogate")]
    public async Task FromJson_BadInput_ExitsOneWithMessage(string json, string expected)
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir.File("in.json"), json);
        var (exitCode, _, stderr) = await PeatCli.RunAsync(null, Timeout, "automerge", "from-json", dir.File("in.json"), "-o", dir.File("out.automerge"));

        Assert.Equal(1, exitCode);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("out.automerge")));
    }

    [Fact]
    public async Task BenchTrace_PaperTrace_FinalTextMatchesEndContent()
    {
        var path = RepoPaths.TestData("traces", "automerge-paper.json.gz");
        var (exitCode, stdout, stderr) = await PeatCli.RunAsync(null, TimeSpan.FromMinutes(5), "automerge", "bench-trace", path, "--mode", "one-change", "--json");

        Assert.True(exitCode == 0, stderr);
        using var result = JsonDocument.Parse(stdout);
        var endContent = ReadEndContent(path);
        Assert.True(result.RootElement.GetProperty("matchesEndContent").GetBoolean());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(endContent))), result.RootElement.GetProperty("sha256").GetString());
        Assert.Equal(259_778, result.RootElement.GetProperty("splices").GetInt32()); // README: 182,315 inserts + 77,463 deletes
        Assert.Equal(2, result.RootElement.GetProperty("changes").GetInt32());      // the from() change and the edits
        Assert.True(result.RootElement.GetProperty("sizeBytes").GetInt64() > 0);
    }

    [Fact]
    public async Task BenchTrace_MultiCharacterPatchesPerEdit_OneChangePerSingleCharacterSplice()
    {
        using var dir = new TempDir();
        var trace = """{"startContent":"ab","endContent":"aX😀Yb!","txns":[{"patches":[[1,0,"XZ"],[2,1,"😀Y"]]},{"patches":[[6,0,"!"]]}]}""";
        await File.WriteAllTextAsync(dir.File("t.json"), trace);
        var (exitCode, stdout, stderr) = await PeatCli.RunAsync(null, Timeout, "automerge", "bench-trace", dir.File("t.json"), "--mode", "per-edit", "--json");

        Assert.True(exitCode == 0, stderr);
        using var result = JsonDocument.Parse(stdout);
        Assert.True(result.RootElement.GetProperty("matchesEndContent").GetBoolean());
        Assert.Equal(6, result.RootElement.GetProperty("splices").GetInt32()); // X, Z | delete Z, 😀, Y | !
        Assert.Equal(7, result.RootElement.GetProperty("changes").GetInt32());
    }

    [Fact]
    public async Task BenchTrace_Repeats_ReportsWarmSaveAndLoad()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir.File("t.json"), """{"startContent":"ab","endContent":"aXb","txns":[{"patches":[[1,0,"X"]]}]}""");
        var (exitCode, stdout, stderr) = await PeatCli.RunAsync(null, Timeout, "automerge", "bench-trace", dir.File("t.json"), "--repeats", "3", "--json");

        Assert.True(exitCode == 0, stderr);
        using var result = JsonDocument.Parse(stdout);
        Assert.Equal(3, result.RootElement.GetProperty("repeats").GetInt32());
        Assert.True(result.RootElement.GetProperty("loadWarmMs").GetDouble() > 0);
        Assert.True(result.RootElement.GetProperty("saveWarmMs").GetDouble() > 0);
    }

    [Fact]
    public async Task BenchTrace_NoRepeats_WarmTimesZero()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir.File("t.json"), """{"startContent":"ab","endContent":"aXb","txns":[{"patches":[[1,0,"X"]]}]}""");
        var (exitCode, stdout, stderr) = await PeatCli.RunAsync(null, Timeout, "automerge", "bench-trace", dir.File("t.json"), "--json");

        Assert.True(exitCode == 0, stderr);
        using var result = JsonDocument.Parse(stdout);
        Assert.Equal(0, result.RootElement.GetProperty("repeats").GetInt32());
        Assert.Equal(0, result.RootElement.GetProperty("loadWarmMs").GetDouble());
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("101")]
    public async Task BenchTrace_RepeatsOutOfRange_Rejected(string repeats)
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir.File("t.json"), """{"endContent":"a","txns":[{"patches":[[0,0,"a"]]}]}""");
        var (exitCode, _, stderr) = await PeatCli.RunAsync(null, Timeout, "automerge", "bench-trace", dir.File("t.json"), "--repeats", repeats);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--repeats", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"endContent":"","txns":[{"patches":[[5,0,"x"]]}]}""", "does not fit the text")]
    [InlineData("""{"endContent":"","txns":[{"patches":[[0,"x"]]}]}""", "Patch 0 is not")]
    [InlineData("""{"txns":[]}""", "Not a sequential editing trace")]
    [InlineData("""not json""", "not valid JSON")]
    public async Task BenchTrace_BadTrace_ExitsOneWithMessage(string trace, string expected)
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir.File("t.json"), trace);
        var (exitCode, _, stderr) = await PeatCli.RunAsync(null, Timeout, "automerge", "bench-trace", dir.File("t.json"));

        Assert.Equal(1, exitCode);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchTrace_TextDiffersFromEndContent_ExitsOne()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir.File("t.json"), """{"endContent":"b","txns":[{"patches":[[0,0,"a"]]}]}""");
        var (exitCode, stdout, stderr) = await PeatCli.RunAsync(null, Timeout, "automerge", "bench-trace", dir.File("t.json"));

        Assert.Equal(1, exitCode);
        Assert.Contains("endContent DIFFERS", Encoding.UTF8.GetString(stdout), StringComparison.Ordinal);
        Assert.Contains("differs from the trace's endContent", stderr, StringComparison.Ordinal);
    }

    private static byte[] DemoDoc() => File.ReadAllBytes(RepoPaths.TestData("automerge", "generated-3.5.0", "demo-doc.automerge"));

    private static string ReadEndContent(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var json = JsonDocument.Parse(gzip);
        return json.RootElement.GetProperty("endContent").GetString()!;
    }

    private static byte[] Frame(byte[] payload) => Frame((uint)payload.Length, payload);

    private static byte[] Frame(uint length, byte[] payload)
    {
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, length);
        payload.CopyTo(frame, 4);
        return frame;
    }

    /// <summary>A V1 sync message (spec §4.1) whose single change entry is <paramref name="change"/>.</summary>
    private static byte[] SyncMessageWithChange(byte[] change) =>
        [0x42, 0x00, 0x00, 0x00, 0x01, (byte)change.Length, .. change];

    private static List<byte[]> SplitFrames(byte[] stream)
    {
        var frames = new List<byte[]>();
        for (var offset = 0; offset < stream.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(stream.AsSpan(offset));
            frames.Add(stream[(offset + 4)..(offset + 4 + length)]);
            offset += 4 + length;
        }

        return frames;
    }
}
