using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Tests.Support;

/// <summary>Deterministic actor ids for tests (16 bytes, like Automerge JS), ordered a &lt; b &lt; c.</summary>
internal static class Actors
{
    public static ActorId A { get; } = ActorId.Parse(new string('a', 32));

    public static ActorId B { get; } = ActorId.Parse(new string('b', 32));

    public static ActorId C { get; } = ActorId.Parse(new string('c', 32));

    /// <summary>Actor number <paramref name="i"/>: 15 zero bytes then i+1.</summary>
    public static ActorId Numbered(int i)
    {
        var bytes = new byte[16];
        bytes[14] = (byte)((i + 1) >> 8);
        bytes[15] = (byte)(i + 1);
        return ActorId.FromBytes(bytes);
    }
}
