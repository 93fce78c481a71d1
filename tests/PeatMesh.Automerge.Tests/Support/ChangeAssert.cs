using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Tests.Support;

/// <summary>Field-by-field comparison of changes (a failure names the field, or the op index).</summary>
internal static class ChangeAssert
{
    /// <summary>Asserts equal actor, seq, startOp, time, message, deps, extra bytes and ops.</summary>
    public static void Same(Change expected, Change actual)
    {
        Assert.Equal(expected.Actor, actual.Actor);
        Assert.Equal(expected.Seq, actual.Seq);
        Assert.Equal(expected.StartOp, actual.StartOp);
        Assert.Equal(expected.Time, actual.Time);
        Assert.Equal(expected.Message, actual.Message);
        Assert.Equal(expected.Deps, actual.Deps);
        Assert.Equal(expected.ExtraBytes.ToArray(), actual.ExtraBytes.ToArray());
        Assert.Equal(expected.Ops.Count, actual.Ops.Count);
        for (var i = 0; i < expected.Ops.Count; i++)
        {
            Assert.True(expected.Ops[i].Equals(actual.Ops[i]), $"op {i}: expected {expected.Ops[i]}, got {actual.Ops[i]}");
        }
    }
}
