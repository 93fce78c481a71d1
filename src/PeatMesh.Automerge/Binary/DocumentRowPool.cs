namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Keeps one spare <see cref="DocumentOpRow"/> array between document loads, so that loading large documents one
/// after another reuses memory already faulted in instead of a fresh 64 bytes per op each time.
/// </summary>
/// <remarks>
/// Our own one-slot pool rather than <c>ArrayPool&lt;DocumentOpRow&gt;</c>: a framework generic over our struct is
/// JIT-compiled on the first load of a process (ReadyToRun cannot precompile it), and a single spare is what
/// sequential loads need. Returned arrays are cleared on a thread-pool thread (off the load that returns them) before
/// they become the spare, so a spare never holds values of an earlier document. Thread-safe.
/// </remarks>
internal sealed class DocumentRowPool
{
    private DocumentOpRow[]? _spare;

    /// <summary>The pool document loads use (tests make their own, so that other tests' loads cannot take their arrays).</summary>
    public static DocumentRowPool Shared { get; } = new();

    /// <summary>An array of at least <paramref name="minimumLength"/> rows, all default: the spare if it is large enough.</summary>
    public DocumentOpRow[] Rent(int minimumLength)
    {
        var spare = Interlocked.Exchange(ref _spare, null);
        if (spare is not null && spare.Length >= minimumLength)
        {
            return spare;
        }

        if (spare is not null)
        {
            Interlocked.CompareExchange(ref _spare, spare, null); // too small for this load; keep it for a smaller one
        }

        return new DocumentOpRow[minimumLength];
    }

    /// <summary>
    /// Hands back an array whose first <paramref name="used"/> rows may hold values; it is cleared on a thread-pool thread
    /// and then kept as the spare (when it is larger than the current one).
    /// </summary>
    public void Return(DocumentOpRow[] rows, int used) =>
        ThreadPool.UnsafeQueueUserWorkItem(new ClearAndKeep(this, rows, used), preferLocal: false);

    /// <summary>Whether <paramref name="rows"/> is the spare right now (for tests, which poll for a returned array).</summary>
    internal bool IsSpare(DocumentOpRow[] rows) => ReferenceEquals(Volatile.Read(ref _spare), rows);

    private sealed class ClearAndKeep(DocumentRowPool pool, DocumentOpRow[] rows, int used) : IThreadPoolWorkItem
    {
        public void Execute()
        {
            Array.Clear(rows, 0, used);
            var current = Volatile.Read(ref pool._spare);
            while (current is null || current.Length < rows.Length)
            {
                var seen = Interlocked.CompareExchange(ref pool._spare, rows, current);
                if (ReferenceEquals(seen, current))
                {
                    return;
                }

                current = seen;
            }
        }
    }
}
