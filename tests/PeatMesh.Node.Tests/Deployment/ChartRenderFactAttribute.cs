namespace PeatMesh.Node.Tests.Deployment;

/// <summary>
/// A fact that renders the Helm chart with tests/tools/chart-render, which needs Go and Debian's sprig and yaml.v2
/// sources; without them the test is skipped with the reason (.ci/run installs them).
/// </summary>
public sealed class ChartRenderFactAttribute : FactAttribute
{
    /// <summary>Skips the test when the renderer cannot be built here.</summary>
    public ChartRenderFactAttribute()
    {
        if (ChartRenderer.UnavailableReason() is { } reason)
        {
            Skip = "Cannot render the Helm chart: " + reason;
        }
    }
}
