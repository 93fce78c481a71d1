using System.Text;

namespace PeatMesh.Benchmarks.Reporting;

/// <summary>The whole Markdown report: a title, the machine facts, then one section per scenario.</summary>
/// <remarks>Not thread-safe: build it on one thread.</remarks>
public sealed class Report(MachineFacts machine)
{
    private readonly List<ReportSection> _sections = [];

    /// <summary>The sections added so far.</summary>
    public IReadOnlyList<ReportSection> Sections => _sections;

    /// <summary>Load average when the last scenario ended (filled in by the runner), or null.</summary>
    public string? LoadAverageAtEnd { get; set; }

    /// <summary>Appends a section.</summary>
    public void Add(ReportSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        _sections.Add(section);
    }

    /// <summary>Renders the report.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        text.Append("# PeatMesh benchmark baseline\n\n");
        var facts = new MarkdownTable("Machine", "Value");
        foreach (var (name, value) in machine.Describe())
        {
            facts.AddRow(name, value);
        }

        if (LoadAverageAtEnd is not null)
        {
            facts.AddRow("Load average (1/5/15 min) at end", LoadAverageAtEnd);
        }

        text.Append(facts.Render()).Append('\n');
        foreach (var section in _sections)
        {
            text.Append(section.Render()).Append('\n');
        }

        return text.ToString().TrimEnd() + "\n";
    }
}
