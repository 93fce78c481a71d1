namespace PeatMesh.Automerge.Binary;

/// <summary>
/// The positions of a change's dependencies in a list of changes, in the order of the change's sorted deps (each
/// position smaller than the change's own).
/// </summary>
/// <param name="change">The change's position.</param>
internal delegate ReadOnlySpan<int> ChangeDepsLookup(int change);
