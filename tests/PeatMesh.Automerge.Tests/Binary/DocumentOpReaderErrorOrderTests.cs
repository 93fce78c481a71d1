using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests.Binary;

/// <summary>
/// The op reader decodes columns in blocks but must report what reading row by row reports first: the earliest row's
/// error, and within a row the error of the column read first (id, obj, key, insert, action, value, succ, expand, mark).
/// </summary>
public class DocumentOpReaderErrorOrderTests
{
    private const int Rows = 700; // several blocks of DocumentOpBlock.Size rows

    [Theory]
    [InlineData(300, 450, "Unknown action 99.")] // the bad action's row comes first
    [InlineData(300, 200, "Column 'insert' ended before the last row.")] // the short column's row comes first
    [InlineData(300, 300, "Column 'insert' ended before the last row.")] // same row: insert is read before action
    [InlineData(5, 699, "Unknown action 99.")]
    [InlineData(600, 256, "Column 'insert' ended before the last row.")] // a block boundary
    public void Decode_ErrorsInSeveralRows_ReportsTheFirstAsRowByRowReadingWould(int badActionRow, int insertRows, string expected)
    {
        var bytes = TamperedDocument(columns =>
        {
            Replace(columns, OpColumnSpecs.Action, data =>
            {
                var actions = DecodeUInts(data);
                actions[badActionRow] = 99;
                var encoder = new RleEncoder<ulong, UInt64Codec>();
                actions.ForEach(encoder.Append);
                return encoder.Finish().ToArray();
            });
            Replace(columns, OpColumnSpecs.Insert, data =>
            {
                var decoder = new BooleanDecoder(data, "insert");
                var encoder = new BooleanEncoder();
                for (var i = 0; i < insertRows; i++)
                {
                    encoder.Append(decoder.Next());
                }

                return encoder.Finish().ToArray();
            });
        });

        var error = Assert.Throws<AutomergeFormatException>(() => DocumentChunk.Decode(bytes, out _));
        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Decode_UntamperedDocument_ReadsEveryRow()
    {
        var contents = DocumentChunk.Decode(TamperedDocument(_ => { }), out _);
        Assert.Equal(Rows, contents.Ops!.StoredCount);
    }

    private static List<ulong> DecodeUInts(byte[] data)
    {
        var decoder = new RleDecoder<ulong, UInt64Codec>(data, "column");
        var values = new List<ulong>();
        while (!decoder.IsDone)
        {
            Assert.True(decoder.TryNext(out var value));
            values.Add(value);
        }

        return values;
    }

    private static void Replace(List<(ColumnSpec Spec, ReadOnlyMemory<byte> Data)> columns, ColumnSpec spec, Func<byte[], byte[]> change)
    {
        var index = columns.FindIndex(c => c.Spec.Normalized == spec.Normalized);
        columns[index] = (columns[index].Spec, change(columns[index].Data.ToArray()));
    }

    /// <summary>A one-change document of <see cref="Rows"/> text insertions, its op columns changed by <paramref name="tamper"/>.</summary>
    private static byte[] TamperedDocument(Action<List<(ColumnSpec Spec, ReadOnlyMemory<byte> Data)>> tamper)
    {
        var doc = new AutomergeDocument(ActorId.FromBytes([0xab, 0xcd]));
        var tx = doc.BeginTransaction();
        var text = tx.PutObject(ObjId.Root, "text", ObjType.Text);
        tx.SpliceText(text, 0, 0, new string('x', Rows - 1));
        tx.Commit(time: 1);
        return TamperedDocuments.Write(doc.GetAllChanges(), tamperColumns: tamper);
    }
}
