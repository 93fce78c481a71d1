namespace PeatMesh.Automerge.Tests.Binary;

/// <summary>Access to ../shared/testdata/automerge fixtures.</summary>
internal static class AutomergeFixtures
{
    public static byte[] Read(params string[] parts) => File.ReadAllBytes(RepoPaths.TestData(["automerge", .. parts]));

    public static string[] FuzzCrashers() =>
        Directory.GetFiles(RepoPaths.TestData("automerge", "fuzz-crashers")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
}
