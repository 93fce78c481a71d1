namespace PeatMesh.Cli.Automerge;

/// <summary>Exit codes of the <c>peat automerge</c> commands (documented in docs/automerge.md).</summary>
internal static class CliExit
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>Bad input data (malformed document, JSON, frame or trace), an I/O error, or a failed check.</summary>
    public const int Failed = 1;

    /// <summary>Bad arguments (what System.CommandLine reports for parse errors is also non-zero).</summary>
    public const int Usage = 2;

    /// <summary>Writes <c>peat automerge COMMAND: MESSAGE</c> to stderr and returns <paramref name="code"/>.</summary>
    public static int Fail(string command, string message, int code = Failed)
    {
        Console.Error.WriteLine($"peat automerge {command}: {message}");
        return code;
    }
}
