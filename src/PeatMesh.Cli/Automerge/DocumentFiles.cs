using PeatMesh.Automerge;

namespace PeatMesh.Cli.Automerge;

/// <summary>Reads and writes the files the <c>peat automerge</c> commands work on.</summary>
internal static class DocumentFiles
{
    /// <summary>Largest input file read: 1 GiB (documents and JSON are read whole; this bounds the allocation).</summary>
    public const long MaxInputBytes = 1L << 30;

    /// <summary>Reads a whole file after checking its size against <see cref="MaxInputBytes"/>.</summary>
    /// <exception cref="IOException">Missing, unreadable or larger than the limit.</exception>
    public static byte[] ReadBounded(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"{path}: no such file.", path);
        }

        if (info.Length > MaxInputBytes)
        {
            throw new IOException($"{path}: {info.Length:N0} bytes is more than the {MaxInputBytes:N0}-byte limit.");
        }

        return File.ReadAllBytes(path);
    }

    /// <summary>Loads an Automerge file (document chunk and/or change chunks, as written by JS or by us).</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="AutomergeFormatException">The bytes are not a valid Automerge document.</exception>
    public static AutomergeDocument Load(string path) => AutomergeDocument.Load(ReadBounded(path));

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> through a temporary file and a rename, so readers never see half a file.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> bytes)
    {
        var full = Path.GetFullPath(path);
        var temp = full + ".tmp-" + Environment.ProcessId;
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
