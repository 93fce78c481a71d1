namespace PeatMesh.Benchmarks.Scenarios.DiscoveryJoin;

/// <summary>One join, each time measured from the start of the joiner's process.</summary>
/// <param name="Ready">Until <c>/api/v1/ready</c> answered 200.</param>
/// <param name="Topology">Until <c>/api/v1/topology</c> listed all 5 members.</param>
/// <param name="Connected">Until <c>/api/v1/peers</c> listed as many peers as the connection target allows (5).</param>
/// <param name="Synced">Until <c>GET documents/{collection}</c> counted all N documents.</param>
/// <param name="Polls">Polls of the joiner until all four held.</param>
public sealed record JoinResult(TimeSpan Ready, TimeSpan Topology, TimeSpan Connected, TimeSpan Synced, int Polls);
