using System.Globalization;
using System.Security.Authentication;

namespace PeatMesh.Discovery.Kubernetes;

/// <content>The LIST/WATCH loop with relist on 410 and exponential backoff with jitter.</content>
public sealed partial class KubernetesDiscovery
{
    private int _watchEvents;

    /// <summary>
    /// Runs until cancelled. Rules: LIST at start and after 410 Gone; otherwise WATCH from the last
    /// resourceVersion. A watch the server ends is resumed at once. Backoff (attempt n waits
    /// min(initial × 2^(n−1), max) ± jitter) follows every error, a second 410 without progress in between,
    /// and a second consecutive watch that ends without delivering anything (a server closing watches at once).
    /// Any event received resets the attempt count.
    /// </summary>
    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        var gones = 0;
        var emptyCloses = 0;
        var relist = true;
        try
        {
            while (true)
            {
                _watchEvents = 0;
                try
                {
                    if (relist)
                    {
                        SetState(KubernetesDiscoveryState.Listing);
                        await ListAsync(cancellationToken).ConfigureAwait(false);
                        relist = false;
                    }

                    SetState(KubernetesDiscoveryState.Watching);
                    var gone = await WatchOnceAsync(cancellationToken).ConfigureAwait(false);
                    if (_watchEvents > 0)
                    {
                        failures = 0;
                        gones = 0;
                        emptyCloses = 0;
                    }

                    if (gone)
                    {
                        relist = true;
                        gones++;
                        KubernetesLog.Gone(_logger, ResourceVersion);
                        if (gones > 1)
                        {
                            await BackoffAsync(++failures, "Gone", "410 Gone again without progress since the last LIST", cancellationToken).ConfigureAwait(false);
                        }

                        continue;
                    }

                    KubernetesLog.WatchEnded(_logger, _watchEvents, ResourceVersion);
                    if (_watchEvents == 0 && ++emptyCloses > 1)
                    {
                        await BackoffAsync(++failures, "EmptyWatch", "the server ended the watch without sending anything", cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (KubernetesApiException e) when (e.Error == KubernetesApiError.Gone)
                {
                    relist = true;
                    gones++;
                    KubernetesLog.Gone(_logger, ResourceVersion);
                    if (gones > 1)
                    {
                        await BackoffAsync(++failures, "Gone", e.Message, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception e)
                {
                    // The loop must outlive any failure; everything is retried after a backoff.
                    if (_watchEvents > 0)
                    {
                        failures = 0;
                        gones = 0;
                        emptyCloses = 0;
                    }

                    var (category, reason) = Describe(e);
                    await BackoffAsync(++failures, category, reason, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed while backing off.
        }
    }

    private async Task BackoffAsync(int attempt, string category, string reason, CancellationToken cancellationToken)
    {
        var delay = BackoffDelay(attempt);
        Volatile.Write(ref _lastError, category + ": " + reason);
        KubernetesLog.Failed(_logger, category, reason, attempt, delay.TotalSeconds);

        // Arm the timer before publishing the state, so an observer of BackingOff can advance a fake clock past it.
        var wait = Task.Delay(delay, _time, cancellationToken);
        SetState(KubernetesDiscoveryState.BackingOff);
        await wait.ConfigureAwait(false);
    }

    /// <summary>min(initial × 2^(attempt−1), max), spread uniformly by ± jitter.</summary>
    private TimeSpan BackoffDelay(int attempt)
    {
        var exponent = Math.Min(attempt - 1, 40);
        var baseTicks = Math.Min(_options.InitialBackoff.Ticks * Math.Pow(2, exponent), _options.MaxBackoff.Ticks);
        var spread = 1.0 + (_options.BackoffJitter * ((_random.NextDouble() * 2.0) - 1.0));
        return TimeSpan.FromTicks(Math.Max(1, (long)(baseTicks * spread)));
    }

    private static (string Category, string Reason) Describe(Exception e) => e switch
    {
        KubernetesApiException api => (api.Error.ToString(), api.Message),
        HttpRequestException { InnerException: AuthenticationException } =>
            ("Tls", "the API server's TLS certificate was rejected (not issued by the configured CA, or wrong host name): " + Messages(e)),
        HttpRequestException http => ("Connection", http.HttpRequestError.ToString() + ": " + Messages(e)),
        IOException => ("Connection", Messages(e)),
        _ => ("Unexpected", string.Create(CultureInfo.InvariantCulture, $"{e.GetType().Name}: {Messages(e)}")),
    };

    /// <summary>The message of <paramref name="e"/> and of each inner exception, joined (at most four levels).</summary>
    private static string Messages(Exception e)
    {
        var parts = new List<string>();
        for (var current = e; current is not null && parts.Count < 4; current = current.InnerException)
        {
            parts.Add(current.Message);
        }

        return string.Join(" -> ", parts);
    }
}
