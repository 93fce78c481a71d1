using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace PeatMesh.Discovery.Kubernetes;

/// <summary>
/// A small client for the two EndpointSlice calls discovery needs (protocols.md §5): a LIST page
/// (<c>GET …/endpointslices?labelSelector=…&amp;limit=…&amp;continue=…</c>) and a WATCH
/// (<c>…&amp;watch=true&amp;allowWatchBookmarks=true&amp;resourceVersion=…&amp;timeoutSeconds=…</c>), over HttpClient
/// with the service-account bearer token and CA (client-go <c>InClusterConfig</c>).
/// </summary>
/// <remarks>
/// Not thread-safe: one discovery loop issues one request at a time. Response sizes are bounded by the
/// options before anything is buffered. The token is only sent over https and never logged.
/// </remarks>
internal sealed class KubernetesApiClient : IDisposable
{
    private const int MaxErrorBodyBytes = 8 * 1024;
    private const int MaxErrorMessageChars = 300;
    private const int InitialPageBufferBytes = 64 * 1024;

    private readonly KubernetesDiscoveryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ServiceAccountToken _token;
    private readonly ApiServerTrust _trust;
    private readonly HttpClient _http;
    private readonly string _collectionUrl;
    private readonly string _selectorQuery;
    private readonly bool _secure;
    private string? _lastTokenProblem;
    private bool _warnedInsecure;

    /// <summary>Creates the client for validated <paramref name="options"/>.</summary>
    public KubernetesApiClient(KubernetesDiscoveryOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _options = options;
        _time = timeProvider;
        _logger = logger;
        _token = new ServiceAccountToken(options.TokenPath);
        var apiUrl = options.ApiUrl!;
        _secure = apiUrl.Scheme == Uri.UriSchemeHttps;
        _trust = new ApiServerTrust(_secure ? options.CaPath : null);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = options.RequestTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            MaxResponseHeadersLength = 64,

            // An abandoned watch (oversized line, malformed event, shutdown) closes its connection at once
            // instead of reading on to drain it for reuse.
            MaxResponseDrainSize = 0,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = _trust.Validate },
        };
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _collectionUrl = apiUrl.GetLeftPart(UriPartial.Path).TrimEnd('/')
            + "/apis/discovery.k8s.io/v1/namespaces/" + options.Namespace + "/endpointslices";
        _selectorQuery = options.LabelSelector.Length == 0 ? string.Empty : "labelSelector=" + Uri.EscapeDataString(options.LabelSelector);
    }

    /// <summary>The collection URL without query (for logs).</summary>
    public string CollectionUrl => _collectionUrl;

    /// <summary>Fetches one LIST page.</summary>
    /// <param name="continueToken">The previous page's <c>metadata.continue</c>, or null for the first page.</param>
    /// <param name="cancellationToken">Ends the request.</param>
    /// <exception cref="KubernetesApiException">Non-success status, timeout, oversized or malformed page, CA unreadable.</exception>
    /// <exception cref="HttpRequestException">Connection or TLS failure (an untrusted server certificate included).</exception>
    public async Task<EndpointSliceList> ListPageAsync(string? continueToken, CancellationToken cancellationToken)
    {
        var query = Join(_selectorQuery, "limit=" + _options.ListPageSize.ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(continueToken))
        {
            query = Join(query, "continue=" + Uri.EscapeDataString(continueToken));
        }

        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await SendAsync(query, linked.Token).ConfigureAwait(false);
            var body = await ReadBoundedAsync(response, linked.Token).ConfigureAwait(false);
            try
            {
                return JsonSerializer.Deserialize(body.Span, KubernetesJsonContext.Default.EndpointSliceList)
                    ?? throw new KubernetesApiException(KubernetesApiError.Protocol, "LIST returned null");
            }
            catch (JsonException e)
            {
                throw new KubernetesApiException(KubernetesApiError.Protocol, "LIST returned malformed JSON: " + e.Message, innerException: e);
            }
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new KubernetesApiException(KubernetesApiError.Timeout,
                $"LIST did not complete within {_options.RequestTimeout.TotalSeconds:0.###} s", innerException: e);
        }
    }

    /// <summary>Opens a WATCH from <paramref name="resourceVersion"/>; the caller reads and disposes the response.</summary>
    /// <param name="resourceVersion">The last seen resourceVersion (null or empty starts from the current state).</param>
    /// <param name="cancellationToken">Ends the request (and, later, the stream).</param>
    /// <exception cref="KubernetesApiException">Non-success status (410 included) or CA unreadable.</exception>
    /// <exception cref="HttpRequestException">Connection or TLS failure.</exception>
    public async Task<HttpResponseMessage> OpenWatchAsync(string? resourceVersion, CancellationToken cancellationToken)
    {
        var query = Join(_selectorQuery, "watch=true&allowWatchBookmarks=true");
        if (!string.IsNullOrEmpty(resourceVersion))
        {
            query = Join(query, "resourceVersion=" + Uri.EscapeDataString(resourceVersion));
        }

        var seconds = (long)Math.Max(1, Math.Floor(_options.WatchTimeout.TotalSeconds));
        query = Join(query, "timeoutSeconds=" + seconds.ToString(CultureInfo.InvariantCulture));
        return await SendAsync(query, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    private static string Join(string query, string part) => query.Length == 0 ? part : query + "&" + part;

    private static string Sanitize(string text, string? token)
    {
        if (token is { Length: > 0 })
        {
            // A server that echoes the request must not put our token into a log line.
            text = text.Replace(token, "[redacted]", StringComparison.Ordinal);
        }

        var clean = new string([.. text.Where(c => !char.IsControl(c))]);
        return clean.Length <= MaxErrorMessageChars ? clean : clean[..MaxErrorMessageChars] + "…";
    }

    private async Task<HttpResponseMessage> SendAsync(string query, CancellationToken cancellationToken)
    {
        if (_trust.Refresh())
        {
            KubernetesLog.CaLoaded(_logger, _options.CaPath!);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, _collectionUrl + "?" + query);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("peat-mesh", "1"));
        var token = _token.Read(out var changed, out var problem);
        if (problem != _lastTokenProblem)
        {
            _lastTokenProblem = problem;
            if (problem is not null)
            {
                KubernetesLog.TokenUnavailable(_logger, problem);
            }
        }

        if (token is not null)
        {
            if (_secure)
            {
                if (changed)
                {
                    KubernetesLog.TokenLoaded(_logger, _options.TokenPath!);
                }

                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
            else if (!_warnedInsecure)
            {
                _warnedInsecure = true;
                KubernetesLog.TokenNotSentInsecure(_logger, _collectionUrl);
            }
        }

        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var message = await ReadErrorMessageAsync(response, token, cancellationToken).ConfigureAwait(false);
            var text = $"HTTP {status} {response.ReasonPhrase}" + (message is null ? string.Empty : ": " + message);
            throw response.StatusCode switch
            {
                HttpStatusCode.Gone => new KubernetesApiException(KubernetesApiError.Gone, text, status),
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new KubernetesApiException(KubernetesApiError.Unauthorized, text, status),
                _ => new KubernetesApiException(KubernetesApiError.HttpStatus, text, status),
            };
        }
    }

    private async Task<ReadOnlyMemory<byte>> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var max = _options.MaxListPageBytes;
        if (response.Content.Headers.ContentLength is { } declared && declared > max)
        {
            throw new KubernetesApiException(KubernetesApiError.Protocol, $"LIST page of {declared} bytes exceeds MaxListPageBytes ({max})");
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialPageBufferBytes, max + 1));
            try
            {
                var length = 0;
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        if (length > max)
                        {
                            throw new KubernetesApiException(KubernetesApiError.Protocol, $"LIST page exceeds MaxListPageBytes ({max})");
                        }

                        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, (long)max + 1));
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                    if (length > max)
                    {
                        throw new KubernetesApiException(KubernetesApiError.Protocol, $"LIST page exceeds MaxListPageBytes ({max})");
                    }
                }

                return buffer.AsSpan(0, length).ToArray();
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static async Task<string?> ReadErrorMessageAsync(HttpResponseMessage response, string? token, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var buffer = new byte[MaxErrorBodyBytes];
                var length = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (length == 0)
                {
                    return null;
                }

                try
                {
                    var status = JsonSerializer.Deserialize(buffer.AsSpan(0, length), KubernetesJsonContext.Default.ApiStatus);
                    if (status?.Message is { Length: > 0 } message)
                    {
                        return Sanitize((status.Reason is { Length: > 0 } reason ? reason + ": " : string.Empty) + message, token);
                    }
                }
                catch (JsonException)
                {
                    // Not a Status object (or cut at the limit): fall back to the text.
                }

                return Sanitize(Encoding.UTF8.GetString(buffer, 0, length), token);
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return null;
        }
    }
}
