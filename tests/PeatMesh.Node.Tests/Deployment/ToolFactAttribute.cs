namespace PeatMesh.Node.Tests.Deployment;

/// <summary>A fact that needs a command-line tool on PATH; without it the test is skipped with the reason (.ci/run installs it).</summary>
public sealed class ToolFactAttribute : FactAttribute
{
    /// <summary>Skips the test unless <paramref name="tool"/> is on PATH.</summary>
    public ToolFactAttribute(string tool)
    {
        if (ExternalTool.Find(tool) is null)
        {
            Skip = $"Needs `{tool}` on PATH (Debian package {tool}; .ci/run installs it).";
        }
    }
}
