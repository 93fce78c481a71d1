using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using PeatMesh.Automerge;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Cli.Automerge;

/// <summary>
/// Replays an <see cref="EditTrace"/> into one text object of a new document, as the JS harness's
/// <c>trace-bench.mjs</c> does with Automerge JS (<c>A.from({text: startContent})</c>, then one <c>A.splice</c> per
/// single-character splice), and times apply, save and load.
/// </summary>
/// <remarks>Stateless; thread-safe.</remarks>
internal static class TraceBenchmark
{
    /// <summary>The name of a mode on the command line and in results.</summary>
    public static string Name(TraceMode mode) => mode == TraceMode.OneChange ? "one-change" : "per-edit";

    /// <summary>The most extra (warm) loads and saves one run may do.</summary>
    public const int MaxRepeats = 100;

    /// <summary>Runs the trace once.</summary>
    /// <param name="trace">The trace.</param>
    /// <param name="mode">One change, or one change per splice.</param>
    /// <param name="repeats">
    /// After the first (cold) save and load, how many more times to save the document and load the saved bytes in the
    /// same process (0..<see cref="MaxRepeats"/>); their medians are the warm times (0 when no repeats).
    /// </param>
    /// <exception cref="InvalidDataException">A splice lies outside the text, or the saved document does not load back to the same text.</exception>
    public static TraceBenchResult Run(EditTrace trace, TraceMode mode, int repeats = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(repeats);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(repeats, MaxRepeats);
        var doc = new AutomergeDocument();
        ObjId text;
        using (var tx = doc.BeginTransaction())
        {
            text = tx.PutObject(ObjId.Root, "text", ObjType.Text);
            tx.SpliceText(text, 0, 0, trace.StartContent);
            tx.Commit();
        }

        Settle();
        var cpu = Environment.CpuUsage.TotalTime;
        var watch = Stopwatch.StartNew();
        try
        {
            if (mode == TraceMode.OneChange)
            {
                using var tx = doc.BeginTransaction();
                foreach (var splice in trace.Splices)
                {
                    Apply(tx, text, splice);
                }

                tx.Commit();
            }
            else
            {
                foreach (var splice in trace.Splices)
                {
                    using var tx = doc.BeginTransaction();
                    Apply(tx, text, splice);
                    tx.Commit();
                }
            }
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException("The trace does not fit the text: " + e.Message, e);
        }

        var applyMs = watch.Elapsed.TotalMilliseconds;
        var applyCpuMs = CpuSince(ref cpu);
        var finalText = doc.Text(text);

        Settle();
        cpu = Environment.CpuUsage.TotalTime;
        watch.Restart();
        var saved = doc.Save();
        var saveMs = watch.Elapsed.TotalMilliseconds;
        var saveCpuMs = CpuSince(ref cpu);

        Settle();
        cpu = Environment.CpuUsage.TotalTime;
        watch.Restart();
        var loaded = AutomergeDocument.Load(saved);
        var loadMs = watch.Elapsed.TotalMilliseconds;
        var loadCpuMs = CpuSince(ref cpu);

        var (saveWarmMs, loadWarmMs) = Repeat(doc, saved, repeats);
        var loadedText = loaded.Get(ObjId.Root, "text") is { ObjectType: ObjType.Text } v ? loaded.Text(v.ObjectId) : null;
        if (!string.Equals(loadedText, finalText, StringComparison.Ordinal) || !loaded.Heads.SequenceEqual(doc.Heads))
        {
            throw new InvalidDataException("The saved document does not load back to the same text and heads.");
        }

        return new TraceBenchResult(Name(mode), trace.Splices.Count, loaded.ChangeCount, applyMs, saveMs, loadMs,
            applyCpuMs, saveCpuMs, loadCpuMs, saved.LongLength,
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(finalText))),
            string.Equals(finalText, trace.EndContent, StringComparison.Ordinal))
        {
            Repeats = repeats,
            SaveWarmMs = saveWarmMs,
            LoadWarmMs = loadWarmMs,
        };
    }

    /// <summary>
    /// Saves <paramref name="doc"/> and loads <paramref name="saved"/> <paramref name="repeats"/> more times each; returns
    /// the median times (0 when <paramref name="repeats"/> is 0).
    /// </summary>
    /// <exception cref="InvalidDataException">A repeated save differs from the first.</exception>
    private static (double SaveMs, double LoadMs) Repeat(AutomergeDocument doc, byte[] saved, int repeats)
    {
        if (repeats == 0)
        {
            return (0, 0);
        }

        var saves = new double[repeats];
        var loads = new double[repeats];
        var watch = new Stopwatch();
        for (var i = 0; i < repeats; i++)
        {
            Settle();
            watch.Restart();
            var again = doc.Save();
            saves[i] = watch.Elapsed.TotalMilliseconds;
            if (!again.AsSpan().SequenceEqual(saved))
            {
                throw new InvalidDataException("Saving the same document again gave different bytes.");
            }

            Settle();
            watch.Restart();
            GC.KeepAlive(AutomergeDocument.Load(saved));
            loads[i] = watch.Elapsed.TotalMilliseconds;
        }

        return (Median(saves), Median(loads));
    }

    /// <summary>
    /// Starts a timed phase from a settled heap: a full blocking collection, pending finalizers run, and another, so that
    /// garbage left by earlier phases (the applied document's transactions, an earlier save's buffers, the documents
    /// earlier loads returned) is collected outside the clock instead of by whichever phase trips the collector next.
    /// The JS harness does the same (<c>A.free</c> on each loaded document, then V8's <c>gc()</c>); ADR 0029.
    /// </summary>
    private static void Settle()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        var mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    /// <summary>Process CPU milliseconds since <paramref name="start"/>, which is then moved to now.</summary>
    private static double CpuSince(ref TimeSpan start)
    {
        var now = Environment.CpuUsage.TotalTime;
        var elapsed = (now - start).TotalMilliseconds;
        start = now;
        return elapsed;
    }

    private static void Apply(Transaction tx, ObjId text, TraceSplice splice)
    {
        if (splice.Insert is null)
        {
            tx.SpliceText(text, splice.Position, 1, string.Empty);
        }
        else
        {
            tx.SpliceText(text, splice.Position, 0, splice.Insert);
        }
    }
}
