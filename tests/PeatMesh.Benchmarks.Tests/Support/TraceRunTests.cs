using PeatMesh.Benchmarks.Support;

namespace PeatMesh.Benchmarks.Tests.Support;

public class TraceRunTests
{
    private const string Common = "\"mode\":\"one-change\",\"splices\":3,\"changes\":2,\"applyMs\":1.5,\"saveMs\":2,\"loadMs\":3,"
        + "\"applyCpuMs\":1,\"saveCpuMs\":2,\"loadCpuMs\":3,\"sizeBytes\":10,\"sha256\":\"ab\",\"matchesEndContent\":true";

    [Fact]
    public void Parse_OutputWithoutWarmFields_WarmTimesZero()
    {
        var run = TraceRun.Parse("progress\n{" + Common + "}\n");

        Assert.Equal(3, run.LoadMs);
        Assert.Equal(0, run.Repeats);
        Assert.Equal(0, run.LoadWarmMs);
        Assert.Equal(0, run.SaveWarmMs);
    }

    [Fact]
    public void Parse_OutputWithWarmFields_ReadsThem()
    {
        var run = TraceRun.Parse("{" + Common + ",\"repeats\":5,\"saveWarmMs\":1.25,\"loadWarmMs\":0.5}");

        Assert.Equal(5, run.Repeats);
        Assert.Equal(1.25, run.SaveWarmMs);
        Assert.Equal(0.5, run.LoadWarmMs);
        Assert.True(run.MatchesEndContent);
    }

    [Fact]
    public void Parse_NoResultLine_Throws()
    {
        Assert.Throws<FormatException>(() => TraceRun.Parse("not json"));
    }
}
