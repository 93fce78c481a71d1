using System.Globalization;
using System.Text;

namespace PeatMesh.Automerge.Json;

/// <summary>
/// Formats a double exactly as JavaScript's <c>Number.prototype.toString()</c> (and so <c>JSON.stringify</c>) does:
/// ECMAScript 2024 §6.1.6.1.20 <c>Number::toString</c> with radix 10, over the shortest round-tripping digits.
/// </summary>
/// <remarks>Stateless; thread-safe.</remarks>
internal static class JsNumberFormat
{
    /// <summary>Appends the JavaScript spelling of a finite <paramref name="value"/> (<c>-0</c> prints as <c>0</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is NaN or infinite.</exception>
    public static void Append(StringBuilder output, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Only finite numbers have a JSON spelling.");
        }

        if (value == 0)
        {
            output.Append('0');
            return;
        }

        if (value < 0)
        {
            output.Append('-');
            value = -value;
        }

        // .NET's "R" gives the shortest digit string that round-trips (as ECMAScript requires), e.g. "1.5", "1E+21", "1E-07".
        var (digits, n) = Decompose(value.ToString("R", CultureInfo.InvariantCulture));
        var k = digits.Length;
        if (k <= n && n <= 21)
        {
            output.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            output.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            output.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            var exponent = n - 1;
            output.Append(digits[0]);
            if (k > 1)
            {
                output.Append('.').Append(digits, 1, k - 1);
            }

            output.Append('e').Append(exponent < 0 ? '-' : '+').Append(Math.Abs(exponent).ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// Splits a positive .NET round-trip spelling into its significant digits <c>s</c> (no leading or trailing zeros)
    /// and the decimal exponent <c>n</c> such that the value is <c>0.s × 10^n</c>.
    /// </summary>
    private static (string Digits, int N) Decompose(string roundTrip)
    {
        var exponent = 0;
        var e = roundTrip.IndexOfAny(['E', 'e']);
        var mantissa = roundTrip;
        if (e >= 0)
        {
            exponent = int.Parse(roundTrip.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            mantissa = roundTrip[..e];
        }

        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integerDigits = point < 0 ? mantissa.Length : point;
        var all = point < 0 ? mantissa : string.Concat(mantissa.AsSpan(0, point), mantissa.AsSpan(point + 1));
        var leading = 0;
        while (leading < all.Length - 1 && all[leading] == '0')
        {
            leading++;
        }

        var digits = all[leading..].TrimEnd('0');
        return (digits.Length == 0 ? "0" : digits, integerDigits - leading + exponent);
    }
}
