using PeatMesh.Benchmarks.Reporting;

namespace PeatMesh.Benchmarks.Tests.Reporting;

public class MarkdownTableTests
{
    [Fact]
    public void Render_NumericColumn_RightAlignedAndMarkRemoved()
    {
        var table = new MarkdownTable("Path", ">MiB/s").AddRow("raw", "3,000.0");

        Assert.Equal("| Path | MiB/s |\n| --- | ---: |\n| raw | 3,000.0 |\n", table.Render());
    }

    [Fact]
    public void Render_PipeAndNewlineInCell_EscapedToOneCell()
    {
        var table = new MarkdownTable("Metric").AddRow("a|b\nc");

        Assert.Equal("| Metric |\n| --- |\n| a\\|b c |\n", table.Render());
    }

    [Fact]
    public void AddRow_WrongCellCount_Throws()
    {
        var table = new MarkdownTable("A", "B");

        Assert.Throws<ArgumentException>(() => table.AddRow("only one"));
        Assert.Equal(0, table.RowCount);
    }
}
