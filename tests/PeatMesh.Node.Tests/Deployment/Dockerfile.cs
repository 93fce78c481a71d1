namespace PeatMesh.Node.Tests.Deployment;

/// <summary>
/// deploy/Dockerfile as instructions: continuation lines joined, comments dropped, grouped by stage (FROM).
/// Enough of the Dockerfile grammar for the tests; it is not a general parser.
/// </summary>
internal sealed class Dockerfile
{
    private Dockerfile(IReadOnlyList<DockerfileStage> stages) => Stages = stages;

    public static string PathOnDisk => System.IO.Path.Combine(RepoPaths.RepoRoot, "deploy", "Dockerfile");

    public IReadOnlyList<DockerfileStage> Stages { get; }

    public DockerfileStage Stage(string name) => Stages.Single(s => s.Name == name);

    public DockerfileStage Final => Stages[^1];

    public static Dockerfile Load()
    {
        var logical = new List<string>();
        var current = string.Empty;
        foreach (var raw in File.ReadAllLines(PathOnDisk))
        {
            var line = raw.Trim();
            if (current.Length == 0 && (line.Length == 0 || line.StartsWith('#')))
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }

            logical.Add(current + line);
            current = string.Empty;
        }

        var stages = new List<DockerfileStage>();
        foreach (var line in logical)
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var keyword = line[..space].ToUpperInvariant();
            var arguments = line[(space + 1)..].Trim();
            if (keyword == "FROM")
            {
                var parts = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var asIndex = Array.FindIndex(parts, p => p.Equals("AS", StringComparison.OrdinalIgnoreCase));
                stages.Add(new DockerfileStage(asIndex >= 0 ? parts[asIndex + 1] : string.Empty));
                continue;
            }

            if (stages.Count > 0)
            {
                stages[^1].Instructions.Add((keyword, arguments));
            }
        }

        return new Dockerfile(stages);
    }
}
