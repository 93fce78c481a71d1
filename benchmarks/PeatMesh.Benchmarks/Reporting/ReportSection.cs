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

    /// <summary>Adds a paragraph (Markdown text).</summary>
    public ReportSection AddParagraph(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        _blocks.Add(markdown.TrimEnd());
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

    /// <summary>Renders <c>## Title</c> and the blocks separated by blank lines.</summary>
    public string Render() => $"## {Title}\n\n{string.Join("\n\n", _blocks)}\n";
}
