using System.Runtime.InteropServices;

namespace PeatMesh.Testing.Processes;

/// <summary>Sends POSIX signals (<c>kill(2)</c>): .NET's <see cref="System.Diagnostics.Process.Kill()"/> only sends SIGKILL.</summary>
internal static partial class PosixSignals
{
    /// <summary>SIGTERM: ask to stop gracefully.</summary>
    public const int SigTerm = 15;

    /// <summary>SIGINT: as Ctrl-C.</summary>
    public const int SigInt = 2;

    /// <summary>SIGKILL: stop immediately, no cleanup (crash simulation).</summary>
    public const int SigKill = 9;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when the process is gone.</summary>
    public static bool Send(int pid, int signal) => kill(pid, signal) == 0;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
