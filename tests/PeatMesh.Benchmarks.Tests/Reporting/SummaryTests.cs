using PeatMesh.Benchmarks.Reporting;

namespace PeatMesh.Benchmarks.Tests.Reporting;

public class SummaryTests
{
    [Fact]
    public void Of_OddCount_MedianIsTheMiddleValue()
    {
        var summary = Summary.Of([5.0, 1.0, 3.0]);

        Assert.Equal(new Summary(3.0, 1.0, 5.0, 3), summary);
    }

    [Fact]
    public void Of_EvenCount_MedianIsTheMeanOfTheTwoMiddleValues()
    {
        var summary = Summary.Of([4.0, 1.0, 10.0, 2.0]);

        Assert.Equal(new Summary(3.0, 1.0, 10.0, 4), summary);
    }

    [Fact]
    public void Of_Empty_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Summary.Of(Array.Empty<double>()));

        Assert.Contains("no measurements", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_NaN_Throws()
    {
        Assert.Throws<ArgumentException>(() => Summary.Of([1.0, double.NaN]));
    }
}
