namespace PeatMesh.Tests.Security.Conformance;

/// <summary>A fact that only runs when <c>PEAT_SLOW_TESTS=1</c> (e.g. RFC 7748's 1,000,000 iterations, ~45 s).</summary>
public sealed class SlowFactAttribute : FactAttribute
{
    public const string EnvironmentVariable = "PEAT_SLOW_TESTS";

    public SlowFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) != "1")
        {
            Skip = $"Slow test: set {EnvironmentVariable}=1 to run it.";
        }
    }
}
