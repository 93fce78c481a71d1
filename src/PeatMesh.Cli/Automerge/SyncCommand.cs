using System.CommandLine;
using PeatMesh.Automerge;

namespace PeatMesh.Cli.Automerge;

/// <summary>
/// <c>peat automerge sync --stdio --doc IN --out OUT [--max-frame BYTES]</c>: one sync peer over stdin/stdout
/// (<see cref="StdioSyncPeer"/>); at the end of input it saves the document to OUT and exits 0.
/// </summary>
internal static class SyncCommand
{
    public static Command Create()
    {
        var stdio = new Option<bool>("--stdio") { Description = "Speak the sync protocol over stdin/stdout (required; the only transport)." };
        var docIn = new Option<string>("--doc") { Description = "The document to start from (an empty file is an empty document).", Required = true };
        var docOut = new Option<string>("--out") { Description = "Where to save the document when the input ends.", Required = true };
        var maxFrame = new Option<int>("--max-frame")
        {
            Description = "Largest accepted frame payload in bytes (default 268435456 = 256 MiB).",
            DefaultValueFactory = _ => SyncFrames.DefaultMaxFrameBytes,
        };
        var command = new Command("sync", "Act as one Automerge sync peer over stdin/stdout (4-byte big-endian length + sync message per frame).")
        {
            stdio, docIn, docOut, maxFrame,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(stdio), parse.GetValue(docIn)!, parse.GetValue(docOut)!,
            parse.GetValue(maxFrame), Console.OpenStandardInput(), Console.OpenStandardOutput(), cancellationToken));
        return command;
    }

    /// <summary>Runs the command over the given streams.</summary>
    public static async Task<int> RunAsync(bool stdio, string inPath, string outPath, int maxFrame, Stream stdin, Stream stdout,
        CancellationToken cancellationToken)
    {
        if (!stdio)
        {
            return CliExit.Fail("sync", "--stdio is required (it is the only transport).", CliExit.Usage);
        }

        if (maxFrame < 1)
        {
            return CliExit.Fail("sync", "--max-frame must be at least 1 byte.", CliExit.Usage);
        }

        try
        {
            var doc = DocumentFiles.Load(inPath);
            var peer = new StdioSyncPeer(doc, maxFrame);
            await peer.RunAsync(stdin, stdout, cancellationToken).ConfigureAwait(false);
            DocumentFiles.WriteAtomically(outPath, doc.Save());
            return CliExit.Ok;
        }
        catch (OperationCanceledException)
        {
            return CliExit.Fail("sync", "cancelled; the document was not saved.", 130);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or AutomergeFormatException or ArgumentException)
        {
            return CliExit.Fail("sync", e.Message);
        }
    }
}
