using System.Globalization;
using System.Text;

namespace PeatMesh.Automerge.Json;

/// <summary>
/// Formats milliseconds since the Unix epoch as JavaScript's <c>Date.prototype.toISOString()</c> does (ECMAScript
/// 2024 §21.4.4.36 and the date-time string format §21.4.1.32): <c>YYYY-MM-DDTHH:mm:ss.sssZ</c> for years 0–9999,
/// <c>±YYYYYY-…</c> (six digits with a sign) otherwise, proleptic Gregorian calendar, UTC.
/// </summary>
/// <remarks>Stateless; thread-safe.</remarks>
internal static class JsDateFormat
{
    /// <summary>The largest distance from the epoch a JavaScript <c>Date</c> can hold: 8.64e15 ms (±100,000,000 days).</summary>
    public const long MaxMilliseconds = 8_640_000_000_000_000;

    private const long MillisecondsPerDay = 86_400_000;

    /// <summary>Whether a JavaScript <c>Date</c> built from <paramref name="milliseconds"/> is valid (else <c>toJSON</c> gives null).</summary>
    public static bool IsValid(long milliseconds) => milliseconds is >= -MaxMilliseconds and <= MaxMilliseconds;

    /// <summary>Appends the ISO string of a valid time value (see <see cref="IsValid"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="milliseconds"/> is outside ±8.64e15.</exception>
    public static void Append(StringBuilder output, long milliseconds)
    {
        if (!IsValid(milliseconds))
        {
            throw new ArgumentOutOfRangeException(nameof(milliseconds), milliseconds, "Outside the range of a JavaScript Date.");
        }

        var days = Math.DivRem(milliseconds, MillisecondsPerDay, out var msOfDay);
        if (msOfDay < 0)
        {
            msOfDay += MillisecondsPerDay;
            days--;
        }

        var (year, month, day) = CivilFromDays(days);
        var c = CultureInfo.InvariantCulture;
        if (year is >= 0 and <= 9999)
        {
            output.Append(year.ToString("D4", c));
        }
        else
        {
            output.Append(year < 0 ? '-' : '+').Append(Math.Abs(year).ToString("D6", c));
        }

        output.Append('-').Append(month.ToString("D2", c))
            .Append('-').Append(day.ToString("D2", c))
            .Append('T').Append((msOfDay / 3_600_000).ToString("D2", c))
            .Append(':').Append((msOfDay / 60_000 % 60).ToString("D2", c))
            .Append(':').Append((msOfDay / 1000 % 60).ToString("D2", c))
            .Append('.').Append((msOfDay % 1000).ToString("D3", c))
            .Append('Z');
    }

    /// <summary>
    /// Converts days since 1970-01-01 to a proleptic Gregorian (year, month, day), counting in 400-year eras of
    /// 146,097 days with years starting on 1 March so that the leap day is the last day of a year.
    /// </summary>
    private static (long Year, int Month, int Day) CivilFromDays(long days)
    {
        var z = days + 719_468; // days since 0000-03-01
        var era = (z >= 0 ? z : z - 146_096) / 146_097;
        var dayOfEra = z - (era * 146_097);                                                      // 0..146096
        var yearOfEra = (dayOfEra - (dayOfEra / 1460) + (dayOfEra / 36_524) - (dayOfEra / 146_096)) / 365; // 0..399
        var dayOfYear = dayOfEra - ((365 * yearOfEra) + (yearOfEra / 4) - (yearOfEra / 100));   // 0..365, from 1 March
        var monthIndex = ((5 * dayOfYear) + 2) / 153;                                            // 0..11, March = 0
        var day = (int)(dayOfYear - (((153 * monthIndex) + 2) / 5) + 1);
        var month = (int)(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
        var year = yearOfEra + (era * 400) + (month <= 2 ? 1 : 0);
        return (year, month, day);
    }
}
