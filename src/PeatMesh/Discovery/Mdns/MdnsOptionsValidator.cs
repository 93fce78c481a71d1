using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace PeatMesh.Discovery.Mdns;

/// <summary>Validates <see cref="MdnsOptions"/> (register with <c>ValidateOnStart</c>).</summary>
/// <remarks>Stateless; thread-safe.</remarks>
public sealed partial class MdnsOptionsValidator : IValidateOptions<MdnsOptions>
{
    /// <summary>Longest TTL accepted: 1 day.</summary>
    public static readonly TimeSpan MaxTtl = TimeSpan.FromDays(1);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MdnsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.ServiceType is null || !ServiceTypePattern().IsMatch(options.ServiceType)
            || !options.ServiceType.Split('.')[0].Any(char.IsAsciiLetter))
        {
            failures.Add($"Mdns:ServiceType must be _name._udp or _name._tcp with a 1-15 character name of a-z, 0-9 and '-' (RFC 6763 §7), got '{options.ServiceType}'.");
        }

        if (options.Domain is null || !IsValidDomain(options.Domain))
        {
            failures.Add($"Mdns:Domain must be a DNS name such as 'local', got '{options.Domain}'.");
        }

        if (options.Interfaces is null || options.Interfaces.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add("Mdns:Interfaces must be a list of interface names (empty selects automatically).");
        }

        CheckTtl(failures, nameof(options.HostRecordTtl), options.HostRecordTtl);
        CheckTtl(failures, nameof(options.OtherRecordTtl), options.OtherRecordTtl);
        if (options.AnnounceCount is < 2 or > 8)
        {
            failures.Add($"Mdns:AnnounceCount must be 2-8 (RFC 6762 §8.3), got {options.AnnounceCount}.");
        }

        if (options.AnnounceInterval < TimeSpan.FromSeconds(1) || options.AnnounceInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"Mdns:AnnounceInterval must be 1 second to 1 minute, got {options.AnnounceInterval}.");
        }

        if (options.InitialQueryInterval < TimeSpan.FromSeconds(1) || options.InitialQueryInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"Mdns:InitialQueryInterval must be 1 second to 1 hour, got {options.InitialQueryInterval}.");
        }

        if (options.MaxQueryInterval < options.InitialQueryInterval || options.MaxQueryInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"Mdns:MaxQueryInterval must be between InitialQueryInterval and 1 hour, got {options.MaxQueryInterval}.");
        }

        if (options.MaxCachedRecords is < 16 or > 1_000_000)
        {
            failures.Add($"Mdns:MaxCachedRecords must be 16-1000000, got {options.MaxCachedRecords}.");
        }

        if (options.Port is < 1 or > 65535)
        {
            failures.Add($"Mdns:Port must be 1-65535, got {options.Port}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckTtl(List<string> failures, string name, TimeSpan ttl)
    {
        if (ttl < TimeSpan.FromSeconds(1) || ttl > MaxTtl || ttl.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            failures.Add($"Mdns:{name} must be whole seconds from 1 second to 1 day, got {ttl}.");
        }
    }

    private static bool IsValidDomain(string domain)
    {
        try
        {
            return DnsName.Parse(domain).Labels.Count > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    [GeneratedRegex("^_[a-z0-9](?:[a-z0-9-]{0,13}[a-z0-9])?\\._(?:udp|tcp)$")]
    private static partial Regex ServiceTypePattern();
}
