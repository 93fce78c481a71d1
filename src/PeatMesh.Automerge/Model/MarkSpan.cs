namespace PeatMesh.Automerge.Model;

/// <summary>
/// One span of a mark as <see cref="AutomergeDocument.Marks"/> reports it (the shape of Automerge JS
/// <c>marks()</c> entries): the half-open range <c>[Start, End)</c> of a text over which mark
/// <see cref="Name"/> has <see cref="Value"/>.
/// </summary>
/// <remarks>Immutable value type; thread-safe. Positions are in the document's <see cref="TextEncoding"/>.</remarks>
/// <param name="Name">The mark's name (e.g. <c>"bold"</c>).</param>
/// <param name="Value">The mark's value; never <see cref="ScalarValue.Null"/> (a null value is an unmark and is not reported).</param>
/// <param name="Start">First position covered (inclusive).</param>
/// <param name="End">Position after the last one covered (exclusive); greater than <paramref name="Start"/>.</param>
public readonly record struct MarkSpan(string Name, ScalarValue Value, int Start, int End);
