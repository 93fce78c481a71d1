using System.CommandLine;
using PeatMesh.Cli.Dev;

var root = new RootCommand("peat: developer tools for PeatMesh (local dev mesh, documents).");
root.Add(DevCommand.Create());
return await root.Parse(args).InvokeAsync();
