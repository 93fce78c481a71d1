namespace PeatMesh.Topology;

/// <summary>
/// Exponential backoff with jitter between dial attempts (the reference's <c>ReconnectionPolicy</c>).
/// Delay for attempt n (1-based) = min(<see cref="InitialDelay"/> × <see cref="Multiplier"/>^(n−1), <see cref="MaxDelay"/>),
/// then spread uniformly by ±<see cref="Jitter"/> (a fraction) so that peers do not redial in lockstep.
/// </summary>
/// <remarks>Immutable; thread-safe.</remarks>
public sealed record ReconnectionPolicy
{
    /// <summary>The reference's defaults: 1 s, ×2, capped at 60 s, jitter 0.2.</summary>
    public static ReconnectionPolicy Default { get; } = new();

    /// <summary>Delay before the first retry. Defaults to 1 second.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of the delay. Defaults to 60 seconds.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Growth factor per attempt. Defaults to 2.0.</summary>
    public double Multiplier { get; init; } = 2.0;

    /// <summary>Relative jitter in [0, 1). Defaults to 0.2 (±20 %).</summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>The delay before retry number <paramref name="attempt"/> (1-based).</summary>
    /// <param name="attempt">1 for the first retry.</param>
    /// <param name="random">Source of jitter (seed it in tests).</param>
    public TimeSpan DelayFor(int attempt, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var exponent = Math.Min(attempt - 1, 62);
        var baseTicks = Math.Min(InitialDelay.Ticks * Math.Pow(Multiplier, exponent), MaxDelay.Ticks);
        var spread = 1.0 + (Jitter * ((random.NextDouble() * 2.0) - 1.0));
        return TimeSpan.FromTicks((long)Math.Clamp(baseTicks * spread, 0, MaxDelay.Ticks * (1.0 + Jitter)));
    }

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(InitialDelay, TimeSpan.Zero, nameof(InitialDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDelay, InitialDelay, nameof(MaxDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(Multiplier, 1.0, nameof(Multiplier));
        if (Jitter is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Jitter), Jitter, "Jitter must be in [0, 1).");
        }
    }
}
