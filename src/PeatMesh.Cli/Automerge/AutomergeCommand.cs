using System.CommandLine;

namespace PeatMesh.Cli.Automerge;

/// <summary>
/// <c>peat automerge …</c>: document tools interoperable with Automerge JS 3.5.0 (docs/automerge.md):
/// <c>to-json</c>, <c>from-json</c>, <c>sync --stdio</c>, <c>bench-trace</c>.
/// </summary>
internal static class AutomergeCommand
{
    public static Command Create()
    {
        var command = new Command("automerge", "Automerge documents: JSON view, JSON import, stdio sync peer, editing-trace benchmark.");
        command.Add(ToJsonCommand.Create());
        command.Add(FromJsonCommand.Create());
        command.Add(SyncCommand.Create());
        command.Add(BenchTraceCommand.Create());
        return command;
    }
}
