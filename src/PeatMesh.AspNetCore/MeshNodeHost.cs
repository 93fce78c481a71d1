using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PeatMesh.Hosting;

namespace PeatMesh.AspNetCore;

/// <summary>
/// Starts a <see cref="MeshNode"/> in the background of an ASP.NET Core host, so the broker answers
/// <c>/health</c> (and <c>/ready</c> with 503) while the node is still starting; stops it on shutdown.
/// A node that fails to start stops the application with exit code 1. The node records into the host's
/// <see cref="Diagnostics.MeshMetrics"/> (<see cref="PeatMeshServiceCollectionExtensions.AddPeatMeshNode"/> puts them in the options).
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed partial class MeshNodeHost : BackgroundService
{
    private readonly MeshNodeOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<MeshNode> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private MeshNode? _node;

    /// <summary>Creates the host service.</summary>
    public MeshNodeHost(MeshNodeOptions options, ILoggerFactory loggerFactory, IHostApplicationLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options;
        _loggerFactory = loggerFactory;
        _lifetime = lifetime;
        _logger = loggerFactory.CreateLogger("PeatMesh.Hosting");
    }

    /// <summary>The running node, or <see langword="null"/> while starting (or after a failed start).</summary>
    public MeshNode? Node => Volatile.Read(ref _node);

    /// <summary>Completes with the node once it has started.</summary>
    public Task<MeshNode> Started => _started.Task;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var node = await MeshNode.StartAsync(_options, _loggerFactory, TimeProvider.System, stoppingToken).ConfigureAwait(false);
            Volatile.Write(ref _node, node);
            _started.TrySetResult(node);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            StartFailed(_logger, e.Message, e);
            _started.TrySetException(e);
            Environment.ExitCode = 1;
            _lifetime.StopApplication();
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _node, null) is { } node)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 7003, Level = LogLevel.Critical, Message = "Mesh node failed to start: {Reason}")]
    private static partial void StartFailed(ILogger logger, string reason, Exception exception);
}
