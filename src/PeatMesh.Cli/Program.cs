using System.CommandLine;
using PeatMesh.Cli.Automerge;
using PeatMesh.Cli.Dev;

var root = new RootCommand("peat: developer tools for PeatMesh (local dev mesh, documents).");
root.Add(DevCommand.Create());
root.Add(AutomergeCommand.Create());
return await root.Parse(args).InvokeAsync();
