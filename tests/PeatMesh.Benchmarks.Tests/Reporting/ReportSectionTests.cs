using PeatMesh.Benchmarks.Reporting;

namespace PeatMesh.Benchmarks.Tests.Reporting;

public class ReportSectionTests
{
    [Fact]
    public void Reflow_LongTextWithOddBreaks_LinesAtMostLineWidthAndWordsKept()
    {
        var words = Enumerable.Range(0, 100).Select(i => "word" + i).ToArray();
        var text = string.Join("  \n ", words);

        var lines = ReportSection.Reflow(text).Split('\n');

        Assert.All(lines, line => Assert.True(line.Length <= ReportSection.LineWidth, $"line of {line.Length} chars: {line}"));
        Assert.Equal(words, string.Join(' ', lines).Split(' '));
        Assert.True(lines.Length > 1);
    }

    [Fact]
    public void Render_WithFailure_HeadingThenBlocksAndFailedFlag()
    {
        var section = new ReportSection("demo").AddParagraph("hello\nworld").AddFailure(new TimeoutException("step x\nline 2"));

        Assert.True(section.Failed);
        Assert.Equal("## demo\n\nhello world\n\n**FAILED**: TimeoutException: step x line 2\n", section.Render());
    }
}
