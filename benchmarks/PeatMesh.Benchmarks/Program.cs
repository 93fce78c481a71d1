using System.Runtime.InteropServices;
using PeatMesh.Benchmarks;
using PeatMesh.Benchmarks.Cli;

// PeatMesh benchmark harness: see docs/performance.md and HarnessOptionsParser.Usage.
if (!HarnessOptionsParser.TryParse(args, out var options, out var error))
{
    await Console.Error.WriteLineAsync("error: " + error);
    await Console.Error.WriteLineAsync(HarnessOptionsParser.Usage);
    return 2;
}

if (options.ShowHelp)
{
    Console.Out.Write(HarnessOptionsParser.Usage);
    return 0;
}

// Ctrl-C and SIGTERM cancel the run instead of killing the process, so node processes are stopped and temp data removed.
using var cancellation = new CancellationTokenSource();
void Cancel(PosixSignalContext context)
{
    context.Cancel = true;
    Console.Error.WriteLine($"{context.Signal}: cancelling; stopping what was started...");
    cancellation.Cancel();
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);

var report = await new HarnessRunner(options, Console.Error).RunAsync(cancellation.Token);
var markdown = report.Render();
Console.Out.Write(markdown);
if (options.OutputPath is not null)
{
    var directory = Path.GetDirectoryName(Path.GetFullPath(options.OutputPath));
    if (directory is not null)
    {
        Directory.CreateDirectory(directory);
    }

    await File.WriteAllTextAsync(options.OutputPath, markdown);
    await Console.Error.WriteLineAsync("report written to " + options.OutputPath);
}

return report.Sections.Any(s => s.Failed) ? 1 : 0;
