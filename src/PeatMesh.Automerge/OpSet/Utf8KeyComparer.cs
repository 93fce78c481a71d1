namespace PeatMesh.Automerge.OpSet;

/// <summary>
/// Orders strings by their UTF-8 bytes (equivalently, by Unicode code point), the order Automerge uses
/// for map keys. Differs from ordinal UTF-16 order only for supplementary characters vs U+E000–U+FFFF.
/// </summary>
/// <remarks>Stateless; thread-safe.</remarks>
internal sealed class Utf8KeyComparer : IComparer<string>
{
    public static readonly Utf8KeyComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        var n = Math.Min(x.Length, y.Length);
        for (var i = 0; i < n; i++)
        {
            var a = x[i];
            var b = y[i];
            if (a != b)
            {
                return Rank(a) - Rank(b);
            }
        }

        return x.Length - y.Length;
    }

    // Surrogates (supplementary code points) sort after U+E000–U+FFFF in code point order.
    private static int Rank(char c) => c >= 0xD800 && c <= 0xDFFF ? c + 0x2000 : c >= 0xE000 ? c - 0x800 : c;
}
