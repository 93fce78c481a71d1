namespace PeatMesh.Automerge.Tests.Interop;

/// <summary>A fact against live Automerge JS; skipped (with the reason) only when node or npm is not installed.</summary>
public sealed class JsFactAttribute : FactAttribute
{
    public JsFactAttribute()
    {
        Skip = JsHarness.SkipReason;
    }
}
