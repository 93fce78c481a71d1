namespace PeatMesh.Cli.Automerge;

/// <summary>
/// One single-character edit of a text: delete the character at <see cref="Position"/> (when <see cref="Insert"/> is null)
/// or insert <see cref="Insert"/> (one Unicode code point) before it. Positions are UTF-16 code units, as in Automerge JS.
/// </summary>
/// <param name="Position">Offset in UTF-16 code units.</param>
/// <param name="Insert">The code point to insert, or null for a one-character delete.</param>
internal readonly record struct TraceSplice(int Position, string? Insert);
