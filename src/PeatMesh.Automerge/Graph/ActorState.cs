namespace PeatMesh.Automerge.Graph;

/// <summary>Per-actor bookkeeping of applied changes.</summary>
/// <param name="LastSeq">The seq of the actor's latest applied change.</param>
/// <param name="MaxOp">The largest op counter of the actor's applied changes.</param>
internal readonly record struct ActorState(ulong LastSeq, ulong MaxOp);
