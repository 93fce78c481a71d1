namespace PeatMesh.Automerge.Tests.Support;

/// <summary>A clock stuck at one instant, so change hashes are reproducible.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public static FixedTimeProvider Default { get; } = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

    public override DateTimeOffset GetUtcNow() => now;
}
