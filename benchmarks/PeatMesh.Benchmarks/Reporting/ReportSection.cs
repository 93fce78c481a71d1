namespace PeatMesh.Benchmarks.Reporting;

/// <summary>One scenario's part of the report: a <c>##</c> heading followed by Markdown blocks (text and tables).</summary>
/// <remarks>Not thread-safe: build it on one thread.</remarks>
public sealed class ReportSection
{
    private readonly List<string> _blocks = [];

    /// <summary>Creates a section titled <paramref name="title"/>.</summary>
    public ReportSection(string title)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        Title = title;
    }

    /// <summary>The heading text.</summary>
    public string Title { get; }

    /// <summary>Whether the scenario failed (set by <see cref="AddFailure"/>).</summary>
    public bool Failed { get; private set; }

    /// <summary>Line width paragraphs are reflowed to, in characters.</summary>
    public const int LineWidth = 120;

    /// <summary>Adds a paragraph of Markdown text; its line breaks and runs of spaces are reflowed to <see cref="LineWidth"/>.</summary>
    public ReportSection AddParagraph(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        _blocks.Add(Reflow(markdown));
        return this;
    }

    /// <summary>Adds a table.</summary>
    public ReportSection AddTable(MarkdownTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        _blocks.Add(table.Render().TrimEnd());
        return this;
    }

    /// <summary>Marks the section failed and records why (the exception's type and message, never a stack trace).</summary>
    public ReportSection AddFailure(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Failed = true;
        _blocks.Add($"**FAILED**: {exception.GetType().Name}: {exception.Message}".ReplaceLineEndings(" "));
        return this;
    }

    /// <summary>Joins the words of <paramref name="text"/> into lines of at most <see cref="LineWidth"/> characters (a longer word gets its own line).</summary>
    public static string Reflow(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = new List<string>();
        var line = new System.Text.StringBuilder();
        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > LineWidth)
            {
                lines.Add(line.ToString());
                line.Clear();
            }

            line.Append(line.Length > 0 ? " " : string.Empty).Append(word);
        }

        if (line.Length > 0)
        {
            lines.Add(line.ToString());
        }

        return string.Join('\n', lines);
    }

    /// <summary>Renders <c>## Title</c> and the blocks separated by blank lines.</summary>
    public string Render() => $"## {Title}\n\n{string.Join("\n\n", _blocks)}\n";
}
