using System.CommandLine;
using System.Text;
using PeatMesh.Automerge;
using PeatMesh.Automerge.Json;

namespace PeatMesh.Cli.Automerge;

/// <summary>
/// <c>peat automerge to-json FILE</c>: prints the document as <c>JSON.stringify(Automerge.toJS(doc))</c> prints it in
/// Automerge JS 3.5.0 (see <see cref="AutomergeJson.ToJsJson"/> for the value mapping), followed by a newline.
/// </summary>
internal static class ToJsonCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "An Automerge file (save() output, change chunks, or both)." };
        var command = new Command("to-json", "Print a document as JSON, like JSON.stringify(Automerge.toJS(doc)).") { file };
        command.SetAction(parse => Run(parse.GetValue(file)!, Console.OpenStandardOutput()));
        return command;
    }

    /// <summary>Runs the command, writing the JSON to <paramref name="stdout"/>.</summary>
    public static int Run(string path, Stream stdout)
    {
        string json;
        try
        {
            var doc = DocumentFiles.Load(path);
            json = AutomergeJson.ToJsJson(doc);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or AutomergeFormatException or InvalidOperationException)
        {
            return CliExit.Fail("to-json", e.Message);
        }

        stdout.Write(Encoding.UTF8.GetBytes(json + "\n"));
        stdout.Flush();
        return CliExit.Ok;
    }
}
