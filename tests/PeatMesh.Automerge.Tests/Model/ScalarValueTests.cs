using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Tests.Model;

/// <summary>
/// <see cref="ScalarValue"/> packs its kind into its two fields (16 bytes); these tests pin that every kind reads back
/// its kind, payload and equality exactly, and that the accessors of other kinds read neutral values.
/// </summary>
public class ScalarValueTests
{
    public static TheoryData<ScalarValue, ScalarKind> AllKinds => new()
    {
        { ScalarValue.Null, ScalarKind.Null },
        { default, ScalarKind.Null },
        { ScalarValue.Boolean(true), ScalarKind.Boolean },
        { ScalarValue.Boolean(false), ScalarKind.Boolean },
        { ScalarValue.Uint(ulong.MaxValue), ScalarKind.Uint },
        { ScalarValue.Int(long.MinValue), ScalarKind.Int },
        { ScalarValue.F64(-0.5), ScalarKind.F64 },
        { ScalarValue.Str("é"), ScalarKind.Str },
        { ScalarValue.Str(""), ScalarKind.Str },
        { ScalarValue.Bytes([1, 2]), ScalarKind.Bytes },
        { ScalarValue.Counter(-7), ScalarKind.Counter },
        { ScalarValue.Timestamp(1_700_000_000_000), ScalarKind.Timestamp },
        { ScalarValue.Unknown(12, [9]), ScalarKind.Unknown },
    };

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Kind_EveryFactory_ReportsItsKind(ScalarValue value, ScalarKind kind) => Assert.Equal(kind, value.Kind);

    [Fact]
    public void Accessors_EveryKind_ReadTheirPayload()
    {
        Assert.True(ScalarValue.Boolean(true).AsBoolean);
        Assert.False(ScalarValue.Boolean(false).AsBoolean);
        Assert.Equal(ulong.MaxValue, ScalarValue.Uint(ulong.MaxValue).AsUInt64);
        Assert.Equal(long.MinValue, ScalarValue.Int(long.MinValue).AsInt64);
        Assert.Equal(-0.5, ScalarValue.F64(-0.5).AsDouble);
        Assert.Equal("é", ScalarValue.Str("é").AsString);
        Assert.Equal([1, 2], ScalarValue.Bytes([1, 2]).AsBytes);
        Assert.Equal(-7, ScalarValue.Counter(-7).AsInt64);
        Assert.Equal(1_700_000_000_000, ScalarValue.Timestamp(1_700_000_000_000).AsInt64);
        var unknown = ScalarValue.Unknown(12, [9]);
        Assert.Equal((byte)12, unknown.UnknownTypeCode);
        Assert.Equal([9], unknown.AsBytes);
    }

    [Fact]
    public void NumericAccessors_ReferenceKinds_ReadZero()
    {
        foreach (var value in new[] { ScalarValue.Str("x"), ScalarValue.Bytes([1]), ScalarValue.Unknown(15, [1]) })
        {
            Assert.Equal(0, value.AsInt64);
            Assert.Equal(0UL, value.AsUInt64);
            Assert.Equal(0.0, value.AsDouble);
            Assert.False(value.AsBoolean);
        }

        Assert.Equal((byte)0, ScalarValue.Str("x").UnknownTypeCode);
        Assert.Equal((byte)0, ScalarValue.Int(15).UnknownTypeCode);
        Assert.Null(ScalarValue.Int(1).AsString);
        Assert.Null(ScalarValue.Int(1).AsBytes);
    }

    [Fact]
    public void Equals_SamePayloadDifferentKind_IsFalse()
    {
        Assert.NotEqual(ScalarValue.Int(8), ScalarValue.Counter(8));
        Assert.NotEqual(ScalarValue.Int(0), ScalarValue.Null);
        Assert.NotEqual(ScalarValue.Uint(1), ScalarValue.Boolean(true));
        Assert.NotEqual(ScalarValue.Bytes([1]), ScalarValue.Unknown(10, [1]));
        Assert.NotEqual(ScalarValue.Unknown(11, [1]), ScalarValue.Unknown(10, [1]));
        Assert.NotEqual(ScalarValue.Timestamp(3), ScalarValue.Int(3));
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Equals_EqualPayloads_AreEqualWithEqualHashes(ScalarValue value, ScalarKind kind)
    {
        var copy = kind switch
        {
            ScalarKind.Str => ScalarValue.Str(new string(value.AsString!.ToCharArray())),
            ScalarKind.Bytes => ScalarValue.Bytes([.. value.AsBytes!]),
            ScalarKind.Unknown => ScalarValue.Unknown(value.UnknownTypeCode, [.. value.AsBytes!]),
            _ => value,
        };

        Assert.Equal(value, copy);
        Assert.Equal(value.GetHashCode(), copy.GetHashCode());
    }
}
