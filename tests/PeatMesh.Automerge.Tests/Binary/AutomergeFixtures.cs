namespace PeatMesh.Automerge.Tests.Binary;

/// <summary>Access to ../shared/testdata/automerge fixtures.</summary>
internal static class AutomergeFixtures
{
    /// <summary>The documents written by Automerge 3.5.0 <c>save()</c> (testdata README, generated-3.5.0).</summary>
    public static readonly string[] Generated350Documents =
    [
        "generated-3.5.0/demo-doc.automerge",
        "generated-3.5.0/demo-author-doc.automerge",
        "generated-3.5.0/paper-trace-one-change.automerge",
        "generated-3.5.0/paper-trace-per-edit.automerge",
    ];

    /// <summary>
    /// Single-document-chunk files of other recent writers (Rust automerge 0.5+ and JS 2.x) whose column contents are
    /// canonical (what our writer produces from their changes) and whose DEFLATE bytes are reused on save.
    /// </summary>
    public static readonly string[] OtherCanonicalDocuments =
    [
        "interop/exemplar",
        "automerge-c/brave-ape-49.automerge",
        "benchmark-battery/monday-meeting-notes.automerge",
        "benchmark-battery/stephen.amrg",
        "benchmark-battery/webstraits.amrg",
        "benchmark-battery/godot-modeled.amrg",
        "egwalker/A1.am",
    ];

    public static byte[] Read(params string[] parts) => File.ReadAllBytes(RepoPaths.TestData(["automerge", .. parts]));

    public static string[] FuzzCrashers() =>
        Directory.GetFiles(RepoPaths.TestData("automerge", "fuzz-crashers")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
}
