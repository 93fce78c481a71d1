namespace PeatMesh.Automerge.Tests.Interop;

/// <summary>A theory against live Automerge JS; skipped (with the reason) only when node or npm is not installed.</summary>
public sealed class JsTheoryAttribute : TheoryAttribute
{
    public JsTheoryAttribute()
    {
        Skip = JsHarness.SkipReason;
    }
}
