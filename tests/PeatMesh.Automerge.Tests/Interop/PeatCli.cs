namespace PeatMesh.Automerge.Tests.Interop;

/// <summary>Runs the <c>peat</c> command-line tool (peat.dll, copied next to the tests by the project reference) as a child process.</summary>
internal static class PeatCli
{
    /// <summary>peat.dll next to the test assembly.</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "peat.dll");

    /// <summary>The dotnet host running the tests.</summary>
    public static string Dotnet => Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    /// <summary>Starts <c>peat ARGS…</c> with redirected streams.</summary>
    public static ChildProcess Start(string name, params string[] arguments) => ChildProcess.Start(name, Dotnet, [Dll, .. arguments]);

    /// <summary>Runs <c>peat ARGS…</c> to completion.</summary>
    public static Task<(int ExitCode, byte[] Stdout, string Stderr)> RunAsync(byte[]? stdin, TimeSpan timeout, params string[] arguments) =>
        ChildProcess.RunAsync("peat " + string.Join(' ', arguments.Take(2)), Dotnet, [Dll, .. arguments], stdin, timeout);
}
