using System.Runtime.CompilerServices;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// For <see cref="DocumentOpReader"/>: one block of op rows decoded column by column (each column's next
/// <see cref="Size"/> rows in one bulk call), plus the decoding error each column met, if any, and the row it belongs
/// to. The reader assembles the rows from these arrays and raises a column's error only when it reaches that row and
/// column, so a malformed document reports the same error as reading row by row would.
/// </summary>
/// <remarks>Not thread-safe; one instance per read.</remarks>
internal sealed class DocumentOpBlock
{
    /// <summary>Rows per block.</summary>
    public const int Size = 256;

    /// <summary>Column numbers, in the order a row reads them.</summary>
    public const int IdActorColumn = 0, IdCounterColumn = 1, ObjActorColumn = 2, ObjCounterColumn = 3, KeyActorColumn = 4,
        KeyCounterColumn = 5, KeyStringColumn = 6, InsertColumn = 7, ActionColumn = 8, ValueColumn = 9, SuccGroupColumn = 10,
        ExpandColumn = 11, MarkNameColumn = 12, SuccActorColumn = 13, SuccCounterColumn = 14, ColumnCount = 15;

    private readonly AutomergeFormatException?[] _errors = new AutomergeFormatException?[ColumnCount];
    private readonly int[] _errorRows = new int[ColumnCount];

    /// <summary>Decoded values (nulls as default) and non-null flags per column.</summary>
    public readonly ulong[] IdActor = new ulong[Size], ObjActor = new ulong[Size], ObjCounter = new ulong[Size],
        KeyActor = new ulong[Size], Action = new ulong[Size], ValueMeta = new ulong[Size], SuccGroup = new ulong[Size];

    /// <summary>Decoded delta columns (absolute values).</summary>
    public readonly long[] IdCounter = new long[Size], KeyCounter = new long[Size];

    /// <summary>Decoded string columns (null entries for null rows).</summary>
    public readonly string[] KeyString = new string[Size], MarkName = new string[Size];

    /// <summary>Decoded boolean columns.</summary>
    public readonly bool[] Insert = new bool[Size], Expand = new bool[Size];

    /// <summary>Non-null flags of the columns above, by name.</summary>
    public readonly bool[] IdActorPresent = new bool[Size], IdCounterPresent = new bool[Size], ObjActorPresent = new bool[Size],
        ObjCounterPresent = new bool[Size], KeyActorPresent = new bool[Size], KeyCounterPresent = new bool[Size],
        KeyStringPresent = new bool[Size], ActionPresent = new bool[Size], ValueMetaPresent = new bool[Size],
        SuccGroupPresent = new bool[Size], MarkNamePresent = new bool[Size];

    /// <summary>The grouped succ items (actor, counter) decoded ahead, <see cref="SuccLength"/> of them, from <see cref="SuccPosition"/> on unread.</summary>
    public readonly ulong[] SuccActor = new ulong[Size];

    /// <summary>See <see cref="SuccActor"/>.</summary>
    public readonly long[] SuccCounter = new long[Size];

    /// <summary>See <see cref="SuccActor"/>.</summary>
    public readonly bool[] SuccActorPresent = new bool[Size], SuccCounterPresent = new bool[Size];

    /// <summary>Valid succ items in the buffers.</summary>
    public int SuccLength;

    /// <summary>The next succ item to read.</summary>
    public int SuccPosition;

    /// <summary>Succ items read before the buffers' first (error rows of the succ columns count items, not rows).</summary>
    public long SuccBase;

    /// <summary>The first row (or, for the succ columns, item) at which some column failed; <see cref="int.MaxValue"/> if none.</summary>
    public int Stop { get; private set; } = int.MaxValue;

    /// <summary>Forgets the previous block's row errors (succ item errors persist: they are positioned by item).</summary>
    public void StartBlock()
    {
        Stop = int.MaxValue;
        for (var c = 0; c < SuccActorColumn; c++)
        {
            _errors[c] = null;
        }
    }

    /// <summary>Records the outcome of one column's bulk read: <paramref name="filled"/> rows, then <paramref name="error"/> (if any).</summary>
    public void Note(int column, int filled, AutomergeFormatException? error)
    {
        if (error is null)
        {
            return;
        }

        _errors[column] = error;
        _errorRows[column] = filled;
        Stop = Math.Min(Stop, filled);
    }

    /// <summary>Records a succ column's bulk read error at item <paramref name="item"/> (counted over the whole column).</summary>
    public void NoteSucc(int column, long item, AutomergeFormatException? error)
    {
        if (error is not null && _errors[column] is null)
        {
            _errors[column] = error;
            _errorRows[column] = (int)Math.Min(item, int.MaxValue);
        }
    }

    /// <summary>At row <see cref="Stop"/>, raises <paramref name="column"/>'s error if it failed at that row.</summary>
    /// <exception cref="AutomergeFormatException">The column's decoding error.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Check(int row, int column)
    {
        if (row == Stop)
        {
            ThrowIfFailed(row, column);
        }
    }

    /// <summary>Whether the succ column failed before item <paramref name="item"/> + 1.</summary>
    public bool SuccFailedAt(int column, long item) => _errors[column] is not null && _errorRows[column] <= item;

    /// <summary>Raises <paramref name="column"/>'s error if it failed at <paramref name="row"/>.</summary>
    /// <exception cref="AutomergeFormatException">The column's decoding error.</exception>
    public void ThrowIfFailed(long row, int column)
    {
        if (_errors[column] is { } error && _errorRows[column] == row)
        {
            throw error;
        }
    }
}
