using System.IO.Compression;
using System.Text.Json;

namespace PeatMesh.Cli.Automerge;

/// <summary>
/// An editing trace in the sequential format of josephg/editing-traces (../shared/testdata/traces/README.md):
/// <c>{"startContent", "endContent", "txns": [{"patches": [[pos, delCount, insertText], ...]}, ...]}</c>, gzip-compressed
/// or plain, with every patch expanded into single-character splices (deletes first, then one insert per code point).
/// </summary>
/// <remarks>Immutable after <see cref="Read"/>; thread-safe.</remarks>
internal sealed class EditTrace
{
    /// <summary>Largest decompressed trace read: 1 GiB.</summary>
    public const long MaxJsonBytes = 1L << 30;

    private EditTrace(string startContent, string endContent, int patches, TraceSplice[] splices)
    {
        StartContent = startContent;
        EndContent = endContent;
        Patches = patches;
        Splices = splices;
    }

    /// <summary>The text before the first patch.</summary>
    public string StartContent { get; }

    /// <summary>The text after the last patch.</summary>
    public string EndContent { get; }

    /// <summary>Number of patches in the file.</summary>
    public int Patches { get; }

    /// <summary>The single-character splices, in order.</summary>
    public IReadOnlyList<TraceSplice> Splices { get; }

    /// <summary>Number of inserting splices.</summary>
    public int Inserts => Splices.Count(s => s.Insert is not null);

    /// <summary>Reads a trace file (gzip detected by its magic bytes).</summary>
    /// <exception cref="IOException">The file cannot be read or is larger than <see cref="MaxJsonBytes"/> decompressed.</exception>
    /// <exception cref="InvalidDataException">Not gzip/JSON, or not in the sequential trace format.</exception>
    public static EditTrace Read(string path)
    {
        using var file = File.OpenRead(path);
        var magic = new byte[2];
        var gzip = file.Read(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        file.Position = 0;
        using var source = gzip ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = source.Read(chunk)) > 0)
        {
            if (buffer.Length + read > MaxJsonBytes)
            {
                throw new IOException($"{path}: more than {MaxJsonBytes:N0} bytes of JSON.");
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            using var json = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
            return Parse(json.RootElement);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Parses the JSON of a sequential trace.</summary>
    /// <exception cref="InvalidDataException">Not in the sequential trace format.</exception>
    public static EditTrace Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("txns", out var txns) || txns.ValueKind != JsonValueKind.Array
            || !root.TryGetProperty("endContent", out var end) || end.ValueKind != JsonValueKind.String)
        {
            throw new InvalidDataException("Not a sequential editing trace: expected an object with \"txns\" (array) and \"endContent\" (string).");
        }

        var start = root.TryGetProperty("startContent", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : string.Empty;
        var splices = new List<TraceSplice>();
        var patches = 0;
        foreach (var txn in txns.EnumerateArray())
        {
            if (txn.ValueKind != JsonValueKind.Object || !txn.TryGetProperty("patches", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"Transaction {patches} has no \"patches\" array.");
            }

            foreach (var patch in list.EnumerateArray())
            {
                AddPatch(patch, patches++, splices);
            }
        }

        return new EditTrace(start, end.GetString()!, patches, [.. splices]);
    }

    private static void AddPatch(JsonElement patch, int number, List<TraceSplice> splices)
    {
        if (patch.ValueKind != JsonValueKind.Array || patch.GetArrayLength() != 3
            || !patch[0].TryGetInt32(out var position) || position < 0
            || !patch[1].TryGetInt32(out var deletes) || deletes < 0
            || patch[2].ValueKind != JsonValueKind.String)
        {
            throw new InvalidDataException($"Patch {number} is not [position >= 0, deleteCount >= 0, insertText].");
        }

        for (var i = 0; i < deletes; i++)
        {
            splices.Add(new TraceSplice(position, null));
        }

        var text = patch[2].GetString()!;
        var offset = position;
        foreach (var rune in text.EnumerateRunes())
        {
            splices.Add(new TraceSplice(offset, rune.ToString()));
            offset += rune.Utf16SequenceLength;
        }
    }
}
