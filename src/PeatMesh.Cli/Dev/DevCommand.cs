using System.CommandLine;

namespace PeatMesh.Cli.Dev;

/// <summary><c>peat dev …</c>: run a local mesh for development.</summary>
internal static class DevCommand
{
    public static Command Create()
    {
        var dev = new Command("dev", "Local development mesh.");
        dev.Add(DevUpCommand.Create());
        return dev;
    }
}
