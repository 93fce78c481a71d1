using System.Runtime.CompilerServices;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// A block of ops for <see cref="ChangeEncoder.AppendBatch"/>, held column by column (nulls as
/// <see cref="ColumnRuns"/> sentinels) so that each change column is encoded from a contiguous span, runs at a time,
/// instead of through one encoder call per op and column.
/// </summary>
/// <remarks>
/// Fill with <see cref="Add"/> and <see cref="AddPred"/> (same arguments and order as <see cref="ChangeEncoder.AppendOp"/>
/// and <see cref="ChangeEncoder.AppendPred"/>) up to <see cref="IsFull"/>, append, <see cref="Clear"/>. Not thread-safe.
/// </remarks>
internal sealed class ChangeOpBatch
{
    /// <summary>Ops per batch.</summary>
    public const int Capacity = 512;

    internal readonly ulong[] ObjActor = new ulong[Capacity], ObjCounter = new ulong[Capacity], KeyActor = new ulong[Capacity],
        Action = new ulong[Capacity], PredGroup = new ulong[Capacity], ValueMeta = new ulong[Capacity];

    internal readonly long[] KeyCounter = new long[Capacity];
    internal readonly string?[] KeyString = new string?[Capacity], MarkName = new string?[Capacity];
    internal readonly bool[] Insert = new bool[Capacity], Expand = new bool[Capacity];
    internal readonly ByteWriter ValueRaw = new(Capacity);
    internal ulong[] PredActor = new ulong[Capacity];
    internal long[] PredCounter = new long[Capacity];

    /// <summary>Ops held.</summary>
    public int Count { get; private set; }

    /// <summary>Predecessors held (of all the ops).</summary>
    public int PredCount { get; private set; }

    /// <summary>Whether no more ops fit.</summary>
    public bool IsFull => Count == Capacity;

    /// <summary>Adds one op (see <see cref="ChangeEncoder.AppendOp"/> for the arguments); the batch must not be full.</summary>
    /// <exception cref="ArgumentException">A string value is not valid Unicode, or the value kind is undefined.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(ulong objActor, ulong objCounter, string? mapKey, ulong keyActor, ulong keyCounter, bool insert,
        OpAction action, in ScalarValue value, int predCount, bool expand, string? markName)
    {
        var i = Count++;
        ObjActor[i] = objCounter == 0 ? ColumnRuns.NullUInt64 : objActor;
        ObjCounter[i] = objCounter == 0 ? ColumnRuns.NullUInt64 : objCounter;
        KeyActor[i] = mapKey is not null || keyCounter == 0 ? ColumnRuns.NullUInt64 : keyActor;
        KeyCounter[i] = mapKey is not null ? ColumnRuns.NullInt64 : (long)keyCounter;
        KeyString[i] = mapKey;
        Insert[i] = insert;
        Action[i] = (ulong)action;
        SetValue(i, value);
        PredGroup[i] = (ulong)predCount;
        Expand[i] = expand;
        MarkName[i] = markName;
    }

    /// <summary>Writes op <paramref name="index"/>'s value (payload and metadata): ops are written in order.</summary>
    /// <exception cref="ArgumentException">A string value is not valid Unicode, or the value kind is undefined.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void SetValue(int index, in ScalarValue value)
    {
        if (value.AsString is { Length: 1 } s && s[0] < 0x80)
        {
            ValueRaw.WriteByte((byte)s[0]); // a text character
            ValueMeta[index] = (1 << 4) | 6;
        }
        else if (value.Kind == ScalarKind.Null)
        {
            ValueMeta[index] = 0; // a delete's
        }
        else
        {
            var start = ValueRaw.Length;
            var code = ValueColumnEncoder.WritePayload(ValueRaw, value);
            ValueMeta[index] = ((ulong)(ValueRaw.Length - start) << 4) | code;
        }
    }

    /// <summary>Sets the number of ops held after their columns were written directly (at indices 0 ..).</summary>
    internal void SetCount(int count) => Count = count;

    /// <summary>Adds one predecessor of the last op added.</summary>
    public void AddPred(ulong actor, ulong counter)
    {
        if (PredCount == PredActor.Length)
        {
            Array.Resize(ref PredActor, PredCount * 2);
            Array.Resize(ref PredCounter, PredCount * 2);
        }

        PredActor[PredCount] = actor;
        PredCounter[PredCount++] = (long)counter;
    }

    /// <summary>Forgets the ops (keeping the buffers; the string columns are reset to nulls).</summary>
    public void Clear()
    {
        Array.Clear(KeyString, 0, Count);
        Array.Clear(MarkName, 0, Count);
        ValueRaw.Clear();
        Count = 0;
        PredCount = 0;
    }
}
