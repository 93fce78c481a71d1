using System.Text;

namespace PeatMesh.Benchmarks.Reporting;

/// <summary>
/// A GitHub-flavoured Markdown table. Columns whose header is marked numeric are right-aligned; a <c>|</c> inside a cell
/// is escaped and line breaks become spaces, so any text renders as one cell.
/// </summary>
/// <remarks>Not thread-safe: build it on one thread.</remarks>
public sealed class MarkdownTable
{
    private readonly string[] _headers;
    private readonly bool[] _rightAligned;
    private readonly List<string[]> _rows = [];

    /// <summary>Creates a table; a header starting with <c>&gt;</c> marks a right-aligned (numeric) column, the mark is not printed.</summary>
    /// <exception cref="ArgumentException">No headers.</exception>
    public MarkdownTable(params string[] headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.Length == 0)
        {
            throw new ArgumentException("A table needs at least one column.", nameof(headers));
        }

        _rightAligned = [.. headers.Select(h => h.StartsWith('>'))];
        _headers = [.. headers.Select(h => h.TrimStart('>'))];
    }

    /// <summary>Rows added so far.</summary>
    public int RowCount => _rows.Count;

    /// <summary>Adds a row of exactly one cell per column.</summary>
    /// <exception cref="ArgumentException">The number of cells differs from the number of columns.</exception>
    public MarkdownTable AddRow(params string[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"Expected {_headers.Length} cells, got {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells);
        return this;
    }

    /// <summary>Renders the table, one line per row, lines ending in <c>\n</c>.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        AppendLine(text, _headers);
        AppendLine(text, [.. _rightAligned.Select(right => right ? "---:" : "---")]);
        foreach (var row in _rows)
        {
            AppendLine(text, row);
        }

        return text.ToString();
    }

    private static void AppendLine(StringBuilder text, IEnumerable<string> cells)
    {
        text.Append('|');
        foreach (var cell in cells)
        {
            text.Append(' ').Append(Escape(cell)).Append(" |");
        }

        text.Append('\n');
    }

    private static string Escape(string cell) =>
        cell.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
