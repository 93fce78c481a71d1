using System.CommandLine;
using PeatMesh.Testing.Processes;

namespace PeatMesh.Cli.Dev;

/// <summary>
/// <c>peat dev up --nodes N</c>: starts N <c>peat-mesh-node</c> processes on 127.0.0.1 with a generated
/// formation secret, free ports and data directories under a temporary folder, each dialling all the
/// others; prints the broker URLs; stops them gracefully on Ctrl-C.
/// </summary>
internal static class DevUpCommand
{
    public static Command Create()
    {
        var nodes = new Option<int>("--nodes", "-n") { Description = "Number of nodes (1-16).", DefaultValueFactory = _ => 3 };
        var dataDir = new Option<DirectoryInfo?>("--data-dir") { Description = "Keep node data here instead of a temporary folder (kept on exit)." };
        var logs = new Option<bool>("--logs") { Description = "Print every node's log lines." };
        var command = new Command("up", "Start a local mesh and keep it running until Ctrl-C.") { nodes, dataDir, logs };
        command.SetAction((parse, cancellationToken) =>
            RunAsync(parse.GetValue(nodes), parse.GetValue(dataDir), parse.GetValue(logs), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int count, DirectoryInfo? dataDir, bool logs, CancellationToken cancellationToken)
    {
        if (count is < 1 or > 16)
        {
            await Console.Error.WriteLineAsync("peat dev up: --nodes must be between 1 and 16").ConfigureAwait(false);
            return 2;
        }

        var options = new LocalMeshOptions { Nodes = count, DataRoot = dataDir?.FullName };
        options.OutputSink = logs ? Console.WriteLine : line =>
        {
            if (line.Contains("fail:", StringComparison.Ordinal) || line.Contains("crit:", StringComparison.Ordinal))
            {
                Console.Error.WriteLine(line);
            }
        };
        if (dataDir is not null)
        {
            dataDir.Create();
        }

        await using var mesh = LocalMesh.Create(options);
        Console.WriteLine($"Starting {count} node(s); data under {mesh.DataRoot}");
        try
        {
            await mesh.StartAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync("peat dev up: " + e.Message).ConfigureAwait(false);
            return 1;
        }
        catch (OperationCanceledException)
        {
            return 130;
        }

        foreach (var node in mesh.Nodes)
        {
            Console.WriteLine($"  {node.Options.Name,-12} broker {node.BrokerUrl}  (mesh port {node.Options.Environment["PEAT_MESH_PORT"]})");
        }

        var first = mesh.Nodes[0].BrokerUrl;
        var last = mesh.Nodes[^1].BrokerUrl;
        Console.WriteLine();
        Console.WriteLine("Try:");
        Console.WriteLine($"  curl -X PUT {first}api/v1/documents/cities/oslo -H 'Content-Type: application/json' -d '{{\"name\":\"Oslo\",\"population\":709037}}'");
        Console.WriteLine($"  curl {last}api/v1/documents/cities/oslo");
        Console.WriteLine($"  curl {first}api/v1/peers");
        Console.WriteLine();
        Console.WriteLine("Mesh is up. Press Ctrl-C to stop.");
        try
        {
            await await Task.WhenAny(mesh.Nodes.Select(n => n.WaitForExitAsync(cancellationToken))).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        var crashed = mesh.Nodes.FirstOrDefault(n => !n.IsRunning);
        Console.WriteLine(crashed is null ? "Stopping..." : $"{crashed.Options.Name} exited (code {crashed.ExitCode}); stopping the rest...");
        await mesh.StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        Console.WriteLine("Stopped.");
        return crashed is null ? 0 : 1;
    }
}
