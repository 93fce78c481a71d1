namespace PeatMesh.Automerge.Model;

/// <summary>
/// Whether text inserted at the edges of a mark joins it (Peritext "expand" rule; Automerge <c>ExpandMark</c>,
/// JS <c>MarkRange.expand</c>). On the wire the begin op carries <see cref="Before"/> in its expand flag and the
/// end op carries <see cref="After"/> (binary format column 148, spec <c>automerge.md</c> §1).
/// </summary>
/// <remarks>
/// <see cref="After"/> is the default of Automerge JS and Rust (bold-like formatting typed at the end of a bold
/// word stays bold); <see cref="None"/> suits links, <see cref="Both"/> suits comments that should grow.
/// </remarks>
public enum MarkExpand : byte
{
    /// <summary>Text inserted right before the mark's start joins the mark; text at its end does not.</summary>
    Before = 0,

    /// <summary>Text inserted right after the mark's end joins the mark; text at its start does not (the default).</summary>
    After = 1,

    /// <summary>Text inserted at either edge joins the mark.</summary>
    Both = 2,

    /// <summary>Text inserted at either edge stays outside the mark.</summary>
    None = 3,
}
