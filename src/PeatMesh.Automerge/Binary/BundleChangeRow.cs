namespace PeatMesh.Automerge.Binary;

/// <summary>One row of a bundle chunk's change columns.</summary>
/// <param name="Actor">Index into the bundle's actors.</param>
/// <param name="Seq">Per-actor sequence number.</param>
/// <param name="StartOp">Counter of the change's first op.</param>
/// <param name="MaxOp">Counter of the change's last op (StartOp − 1 for an empty change).</param>
/// <param name="Time">The change time.</param>
/// <param name="Message">The message, or null.</param>
/// <param name="Deps">Dependencies: an index below the change count names a change of the bundle, above it an entry of the bundle's external deps.</param>
/// <param name="Extra">Extra bytes of the change.</param>
internal readonly record struct BundleChangeRow(int Actor, ulong Seq, ulong StartOp, ulong MaxOp, long Time, string? Message, ulong[] Deps, byte[] Extra)
{
    /// <summary>Number of ops of the change.</summary>
    public ulong OpCount => MaxOp + 1 - StartOp;
}
