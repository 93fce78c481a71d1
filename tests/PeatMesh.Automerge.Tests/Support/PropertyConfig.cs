using FsCheck;
using Microsoft.FSharp.Core;

namespace PeatMesh.Automerge.Tests.Support;

/// <summary>FsCheck configuration with a fixed replay seed, so property runs are deterministic.</summary>
internal static class PropertyConfig
{
    public static Config Seeded(int maxTest, ulong seed = 0x5eed_a11c_e5ee_d001UL) =>
        Config.QuickThrowOnFailure
            .WithMaxTest(maxTest)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed, 0x9e37_79b9_7f4a_7c15UL), FSharpOption<int>.None)));
}
