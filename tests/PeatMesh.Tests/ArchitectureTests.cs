using System.Text.RegularExpressions;

namespace PeatMesh.Tests;

/// <summary>
/// Holds the dependency direction of docs/adr/0001-architecture.md at the source level: a subsystem never
/// names a namespace above it (Security → Transport → Topology → Storage/Sync → Hosting).
/// </summary>
public partial class ArchitectureTests
{
    /// <summary>For each core subsystem, the PeatMesh namespaces its files must not use.</summary>
    public static TheoryData<string, string[]> Rules => new()
    {
        { "Security", ["Topology", "Storage", "Sync", "Hosting"] },
        { "Transport", ["Topology", "Storage", "Sync", "Hosting"] },
        { "Topology", ["Storage", "Sync", "Hosting", "Discovery"] },
        { "Discovery", ["Storage", "Sync", "Hosting"] },
        { "Storage", ["Transport", "Topology", "Sync", "Hosting"] },
        { "Sync", ["Hosting"] },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Subsystem_DoesNotReferenceHigherLayers(string subsystem, string[] forbidden)
    {
        var folder = Path.Combine(RepoPaths.RepoRoot, "src", "PeatMesh", subsystem);
        var violations = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            foreach (Match match in NamespaceUse().Matches(text))
            {
                if (forbidden.Contains(match.Groups[1].Value))
                {
                    violations.Add($"{Path.GetRelativePath(RepoPaths.RepoRoot, file)}: PeatMesh.{match.Groups[1].Value}");
                }
            }
        }

        Assert.True(violations.Count == 0, "Dependency direction violated:\n" + string.Join("\n", violations.Distinct()));
    }

    [Fact]
    public void SecurityLayer_UsesTransportOnlyForItsExceptionFamily()
    {
        // Every type the Transport folder declares (one type per file), except the shared exception family.
        var transportTypes = Directory.EnumerateFiles(Path.Combine(RepoPaths.RepoRoot, "src", "PeatMesh", "Transport"), "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetFileNameWithoutExtension(f).Split('.')[0])
            .Where(name => name is not ("MeshTransportException" or "MeshTransportError"))
            .ToHashSet();
        var violations = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.RepoRoot, "src", "PeatMesh", "Security"), "*.cs", SearchOption.AllDirectories))
        {
            foreach (Match match in Identifier().Matches(File.ReadAllText(file)))
            {
                if (transportTypes.Contains(match.Value))
                {
                    violations.Add($"{Path.GetFileName(file)} uses {match.Value}");
                }
            }
        }

        Assert.True(violations.Count == 0, string.Join("\n", violations.Distinct()));
    }

    [Fact]
    public void AutomergeEngine_HasNoNetworkingOrCoreDependency()
    {
        var references = typeof(PeatMesh.Automerge.AutomergeDocument).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain(references, r => r.StartsWith("PeatMesh", StringComparison.Ordinal) && r != "PeatMesh.Automerge");
        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(references, r => r is "System.Net.Sockets" or "System.Net.Http" or "Microsoft.Data.Sqlite");
    }

    [GeneratedRegex(@"\bPeatMesh\.(Security|Transport|Topology|Storage|Sync|Hosting|Discovery)\b")]
    private static partial Regex NamespaceUse();

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex Identifier();
}
