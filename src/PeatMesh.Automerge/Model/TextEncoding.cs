namespace PeatMesh.Automerge.Model;

/// <summary>
/// The unit in which positions and lengths of text objects are counted by the public API
/// (<see cref="AutomergeDocument.TextEncoding"/>; Automerge Rust <c>TextEncoding</c>).
/// </summary>
/// <remarks>
/// The encoding only changes how indexes are counted; the stored ops are the same (one element per code point,
/// as Automerge JS writes text). Lists are always indexed by element.
/// </remarks>
public enum TextEncoding : byte
{
    /// <summary>UTF-16 code units, as JavaScript strings and Automerge JS count them (the default): an emoji outside the BMP is 2.</summary>
    Utf16CodeUnit = 0,

    /// <summary>Unicode code points (scalar values): every character, including an emoji outside the BMP, is 1.</summary>
    UnicodeCodePoint = 1,
}
