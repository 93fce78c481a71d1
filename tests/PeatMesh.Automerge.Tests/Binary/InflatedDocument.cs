using System.IO.Compression;
using PeatMesh.Automerge.Binary;

namespace PeatMesh.Automerge.Tests.Binary;

/// <summary>
/// A document chunk taken apart independently of the engine's reader: actors, heads, every column with its
/// specification (deflate bit cleared) and its data inflated, and the heads index. Two documents with equal
/// <see cref="InflatedDocument"/>s differ at most in how DEFLATE compressed their columns.
/// </summary>
internal sealed record InflatedDocument(
    byte[] ActorTable, byte[] Heads, IReadOnlyList<(uint Spec, byte[] Data)> ChangeColumns,
    IReadOnlyList<(uint Spec, byte[] Data)> OpColumns, byte[] HeadsIndex, IReadOnlyList<uint> DeflatedSpecs)
{
    /// <summary>Parses the first chunk of <paramref name="bytes"/>, which must be a document chunk.</summary>
    public static InflatedDocument Parse(byte[] bytes)
    {
        var chunk = ChunkContainer.Read(bytes, out _);
        Assert.Equal(ChunkType.Document, chunk.Type);
        var body = chunk.Body.ToArray();
        var pos = 0;
        var actorCount = (int)ReadULeb(body, ref pos);
        for (var i = 0; i < actorCount; i++)
        {
            var length = (int)ReadULeb(body, ref pos);
            pos += length;
        }

        var actorTable = body[..pos];
        var headsStart = pos;
        var headCount = (int)ReadULeb(body, ref pos);
        pos += 32 * headCount;
        var heads = body[headsStart..pos];
        var changeMeta = ReadMeta(body, ref pos);
        var opMeta = ReadMeta(body, ref pos);
        var deflated = new List<uint>();
        var changeColumns = ReadData(body, ref pos, changeMeta, deflated);
        var opColumns = ReadData(body, ref pos, opMeta, deflated);
        return new InflatedDocument(actorTable, heads, changeColumns, opColumns, body[pos..], deflated);
    }

    /// <summary>Asserts that both documents have identical contents column by column, naming the first difference.</summary>
    public static void AssertSameContents(byte[] expected, byte[] actual)
    {
        var e = Parse(expected);
        var a = Parse(actual);
        Assert.Equal(e.ActorTable, a.ActorTable);
        Assert.Equal(e.Heads, a.Heads);
        Assert.Equal(e.ChangeColumns.Select(c => c.Spec), a.ChangeColumns.Select(c => c.Spec));
        Assert.Equal(e.OpColumns.Select(c => c.Spec), a.OpColumns.Select(c => c.Spec));
        foreach (var (ec, ac) in e.ChangeColumns.Zip(a.ChangeColumns).Concat(e.OpColumns.Zip(a.OpColumns)))
        {
            Assert.True(ec.Data.AsSpan().SequenceEqual(ac.Data), $"Column {ec.Spec} differs: {FirstDifference(ec.Data, ac.Data)}");
        }

        Assert.Equal(e.HeadsIndex, a.HeadsIndex);
        Assert.Equal(e.DeflatedSpecs, a.DeflatedSpecs);
    }

    private static string FirstDifference(byte[] e, byte[] a)
    {
        var i = 0;
        while (i < e.Length && i < a.Length && e[i] == a[i])
        {
            i++;
        }

        static string Window(byte[] b, int i) => Convert.ToHexString(b.AsSpan(Math.Max(0, i - 8), Math.Min(b.Length, i + 16) - Math.Max(0, i - 8)));
        return $"lengths {e.Length}/{a.Length}, first difference at byte {i}: expected …{Window(e, i)}…, actual …{Window(a, i)}…";
    }

    private static List<(uint Spec, int Length)> ReadMeta(byte[] body, ref int pos)
    {
        var count = (int)ReadULeb(body, ref pos);
        var list = new List<(uint, int)>();
        for (var i = 0; i < count; i++)
        {
            var spec = (uint)ReadULeb(body, ref pos);
            var length = (int)ReadULeb(body, ref pos);
            list.Add((spec, length));
        }

        return list;
    }

    private static List<(uint Spec, byte[] Data)> ReadData(byte[] body, ref int pos, List<(uint Spec, int Length)> meta, List<uint> deflated)
    {
        var list = new List<(uint, byte[])>();
        foreach (var (spec, length) in meta)
        {
            var data = body[pos..(pos + length)];
            pos += length;
            if ((spec & 8) != 0)
            {
                deflated.Add(spec & ~8u);
                using var inflater = new DeflateStream(new MemoryStream(data), CompressionMode.Decompress);
                using var output = new MemoryStream();
                inflater.CopyTo(output);
                data = output.ToArray();
            }

            list.Add((spec & ~8u, data));
        }

        return list;
    }

    private static ulong ReadULeb(byte[] data, ref int pos)
    {
        ulong value = 0;
        var shift = 0;
        while (true)
        {
            var b = data[pos++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }

            shift += 7;
        }
    }
}
