using System.Text.Json;

namespace PeatMesh.Discovery.Kubernetes;

/// <content>LIST and WATCH: filling and updating the slice cache (protocols.md §5).</content>
public sealed partial class KubernetesDiscovery
{
    private static readonly JsonDocumentOptions EventParsing = new() { MaxDepth = 64 };

    /// <summary>LISTs every page, then replaces the cache and the resourceVersion at once (a failed page changes nothing).</summary>
    private async Task ListAsync(CancellationToken cancellationToken)
    {
        var fresh = new Dictionary<string, EndpointSlice>(StringComparer.Ordinal);
        string? continueToken = null;
        string? resourceVersion = null;
        var pages = 0;
        do
        {
            if (++pages > MaxListPages)
            {
                throw new KubernetesApiException(KubernetesApiError.Protocol, $"LIST did not finish within {MaxListPages} pages");
            }

            var page = await _client!.ListPageAsync(continueToken, cancellationToken).ConfigureAwait(false);
            resourceVersion ??= page.Metadata?.ResourceVersion is { Length: > 0 } rv ? rv : null;
            foreach (var item in page.Items ?? [])
            {
                if (item?.Metadata?.Name is { Length: > 0 } name)
                {
                    fresh[name] = item;
                }

                if (fresh.Count > MaxCachedSlices)
                {
                    throw new KubernetesApiException(KubernetesApiError.Protocol, $"LIST returned more than {MaxCachedSlices} EndpointSlices");
                }
            }

            continueToken = page.Metadata?.Continue;
        }
        while (!string.IsNullOrEmpty(continueToken));

        if (resourceVersion is null)
        {
            throw new KubernetesApiException(KubernetesApiError.Protocol, "LIST returned no metadata.resourceVersion to watch from");
        }

        _slices.Clear();
        foreach (var (name, slice) in fresh)
        {
            _slices[name] = slice;
        }

        Volatile.Write(ref _resourceVersion, resourceVersion);
        Publish();
        var peerCount = Volatile.Read(ref _peers).Count;
        KubernetesLog.Listed(_logger, _slices.Count, pages, peerCount, resourceVersion);
    }

    /// <summary>Runs one WATCH until the server ends it.</summary>
    /// <returns>True when the server reported 410 Gone in an ERROR event (relist needed).</returns>
    /// <exception cref="KubernetesApiException">HTTP error (410 included), bad event, oversized line, cut stream, deadline.</exception>
    private async Task<bool> WatchOnceAsync(CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(_options.WatchTimeout + WatchGrace, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            using var response = await _client!.OpenWatchAsync(ResourceVersion, linked.Token).ConfigureAwait(false);
            KubernetesLog.WatchOpened(_logger, ResourceVersion);
            var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var reader = new WatchLineReader(stream, _options.MaxEventBytes);
                while (true)
                {
                    var (status, line) = await reader.ReadLineAsync(linked.Token).ConfigureAwait(false);
                    switch (status)
                    {
                        case WatchLineStatus.End:
                            return false;
                        case WatchLineStatus.Truncated:
                            throw new KubernetesApiException(KubernetesApiError.Protocol, "the watch stream ended in the middle of an event");
                        case WatchLineStatus.TooLong:
                            throw new KubernetesApiException(KubernetesApiError.Protocol, $"a watch event is longer than MaxEventBytes ({_options.MaxEventBytes} bytes)");
                    }

                    if (HandleEvent(line))
                    {
                        return true;
                    }
                }
            }
        }
        catch (OperationCanceledException e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new KubernetesApiException(KubernetesApiError.Timeout,
                $"the watch was not ended by the server within {(_options.WatchTimeout + WatchGrace).TotalSeconds:0} s", innerException: e);
        }
    }

    /// <summary>Applies one watch event line.</summary>
    /// <returns>True for an ERROR event with code 410 (relist needed).</returns>
    /// <exception cref="KubernetesApiException">Malformed or unknown event, or an ERROR event with another code.</exception>
    private bool HandleEvent(ReadOnlyMemory<byte> line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, EventParsing);
        }
        catch (JsonException e)
        {
            throw Malformed("not JSON: " + e.Message, e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("object", out var body) || body.ValueKind != JsonValueKind.Object)
            {
                throw Malformed("expected {\"type\": string, \"object\": {...}}");
            }

            var type = typeElement.GetString();
            try
            {
                switch (type)
                {
                    case "ADDED":
                    case "MODIFIED":
                    case "DELETED":
                        ApplySliceEvent(type, body.Deserialize(KubernetesJsonContext.Default.EndpointSlice));
                        return false;
                    case "BOOKMARK":
                        var bookmark = body.Deserialize(KubernetesJsonContext.Default.EndpointSlice)?.Metadata?.ResourceVersion;
                        if (string.IsNullOrEmpty(bookmark))
                        {
                            throw Malformed("BOOKMARK without metadata.resourceVersion");
                        }

                        _watchEvents++;
                        Volatile.Write(ref _resourceVersion, bookmark);
                        KubernetesLog.Bookmark(_logger, bookmark);
                        return false;
                    case "ERROR":
                        var status = body.Deserialize(KubernetesJsonContext.Default.ApiStatus);
                        if (status?.Code == 410 || (status?.Code is null && status?.Reason is "Expired" or "Gone"))
                        {
                            return true;
                        }

                        throw new KubernetesApiException(KubernetesApiError.HttpStatus,
                            $"watch ERROR event: {status?.Code} {status?.Reason}: {Shorten(status?.Message)}", status?.Code);
                    default:
                        throw Malformed($"unknown event type '{type}'");
                }
            }
            catch (JsonException e)
            {
                throw Malformed($"{type} object does not match the schema: {e.Message}", e);
            }
        }
    }

    private void ApplySliceEvent(string type, EndpointSlice? slice)
    {
        if (slice?.Metadata?.Name is not { Length: > 0 } name)
        {
            throw Malformed($"{type} event without metadata.name");
        }

        if (type == "DELETED")
        {
            _slices.Remove(name);
        }
        else
        {
            if (_slices.Count >= MaxCachedSlices && !_slices.ContainsKey(name))
            {
                throw new KubernetesApiException(KubernetesApiError.Protocol, $"more than {MaxCachedSlices} EndpointSlices; {type} of {name} ignored");
            }

            _slices[name] = slice;
        }

        _watchEvents++;
        if (slice.Metadata.ResourceVersion is { Length: > 0 } resourceVersion)
        {
            Volatile.Write(ref _resourceVersion, resourceVersion);
        }

        Publish();
    }

    private static string? Shorten(string? text) =>
        text is null ? null : new string([.. text.Where(c => !char.IsControl(c)).Take(300)]);

    private static KubernetesApiException Malformed(string reason, Exception? inner = null) =>
        new(KubernetesApiError.Protocol, "malformed watch event: " + reason, innerException: inner);
}
