namespace PeatMesh.TestSupport;

/// <summary>Locates the repository root and the read-only <c>../shared</c> folder beside it.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The repository root (the folder holding PeatMesh.slnx).</summary>
    public static string RepoRoot => Root.Value;

    /// <summary>The shared folder: <c>../shared</c> relative to the repository root.</summary>
    public static string SharedDir => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    /// <summary>A path under <c>../shared/testdata</c>.</summary>
    public static string TestData(params string[] parts) =>
        Path.Combine([SharedDir, "testdata", .. parts]);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PeatMesh.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException(
            "PeatMesh.slnx not found above " + AppContext.BaseDirectory);
    }
}
