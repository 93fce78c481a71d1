using System.Diagnostics;
using System.Text;

namespace PeatMesh.Automerge.Tests.Interop;

/// <summary>
/// A child process with binary stdin/stdout and captured stderr. Disposing kills it (and its children) if it is still
/// running, so a failed test never leaves processes behind.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly string _name;

    private ChildProcess(Process process, string name)
    {
        _process = process;
        _name = name;
    }

    /// <summary>The process's stdin (binary).</summary>
    public Stream Stdin => _process.StandardInput.BaseStream;

    /// <summary>The process's stdout (binary).</summary>
    public Stream Stdout => _process.StandardOutput.BaseStream;

    /// <summary>What the process wrote to stderr so far.</summary>
    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static ChildProcess Start(string name, string fileName, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        var child = new ChildProcess(process, name);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (child._stderr)
                {
                    child._stderr.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs a process to completion: writes <paramref name="stdin"/>, closes it, collects stdout and stderr.</summary>
    /// <exception cref="TimeoutException">The process did not exit within <paramref name="timeout"/>; the message names the step.</exception>
    public static async Task<(int ExitCode, byte[] Stdout, string Stderr)> RunAsync(string name, string fileName, IEnumerable<string> arguments,
        byte[]? stdin, TimeSpan timeout, string? workingDirectory = null)
    {
        await using var child = Start(name, fileName, arguments, workingDirectory);
        var output = new MemoryStream();
        var copy = child.Stdout.CopyToAsync(output);
        try
        {
            if (stdin is { Length: > 0 })
            {
                await child.Stdin.WriteAsync(stdin);
            }

            child.Stdin.Close();
        }
        catch (IOException)
        {
            // The process exited before reading all of its input; its exit code tells what happened.
        }

        var exitCode = await child.WaitForExitAsync(timeout, "exit");
        await Wait.ForAsync(copy, timeout, $"{name}: end of stdout");
        return (exitCode, output.ToArray(), child.Stderr);
    }

    /// <summary>Waits for the process to exit.</summary>
    /// <exception cref="TimeoutException">It did not exit in time (it is killed when disposed).</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, string step)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {_name}: {step}. stderr: {Stderr}", e);
        }

        _process.WaitForExit(); // drains the asynchronous stderr reader
        return _process.ExitCode;
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
