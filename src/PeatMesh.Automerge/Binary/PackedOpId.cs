namespace PeatMesh.Automerge.Binary;

/// <summary>
/// An op id packed into 64 bits for the document writer: <c>counter &lt;&lt; 24 | actor index</c>, with actor indices
/// into the document's sorted actor table. Because that table is sorted bytewise, packed ids order exactly as
/// OpIds do (counter first, then actor bytes). 0 stands for the root object or <c>_head</c> (counters start at 1).
/// </summary>
/// <remarks>Stateless; thread-safe.</remarks>
internal static class PackedOpId
{
    /// <summary>Bits used by the actor index (up to 16,777,215 actors).</summary>
    public const int ActorBits = 24;

    /// <summary>The most actors a packed id can index.</summary>
    public const int MaxActors = (1 << ActorBits) - 1;

    /// <summary>Packs a counter (at most 2^32 − 1) and an actor index.</summary>
    public static ulong Pack(ulong counter, ulong actorIndex) => (counter << ActorBits) | actorIndex;

    /// <summary>The counter of a packed id.</summary>
    public static ulong Counter(ulong packed) => packed >> ActorBits;

    /// <summary>The actor index of a packed id.</summary>
    public static ulong Actor(ulong packed) => packed & MaxActors;
}
