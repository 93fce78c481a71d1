using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PeatMesh.Tests.Discovery.Kubernetes;

/// <summary>Collects formatted log entries so tests can assert on event ids and on what is never logged.</summary>
internal sealed class CapturingLogger : ILogger
{
    private readonly ConcurrentQueue<(EventId EventId, LogLevel Level, string Message, Exception? Exception)> _entries = new();

    public IReadOnlyList<(EventId EventId, LogLevel Level, string Message, Exception? Exception)> Entries => [.. _entries];

    /// <summary>Every message plus exception text, for "never contains" checks.</summary>
    public string AllText => string.Join("\n", _entries.Select(e => e.Message + " " + e.Exception));

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((eventId, logLevel, formatter(state, exception), exception));
}
