using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace PeatMesh.AspNetCore;

/// <summary>Reads a request body as one JSON object, enforcing media type and size before parsing.</summary>
internal static class JsonBody
{
    /// <summary>
    /// Returns the parsed body, or an error result: 415 when the media type is not JSON, 413 when the body
    /// exceeds <paramref name="maxBytes"/>, 400 when it is not a well-formed JSON object (nesting ≤ 64).
    /// </summary>
    public static async Task<(JsonDocument? Body, IResult? Error)> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
        {
            return (null, BrokerResults.Error(StatusCodes.Status415UnsupportedMediaType,
                "expected Content-Type: application/json, got " + (string.IsNullOrEmpty(request.ContentType) ? "none" : request.ContentType)));
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return (null, TooLarge(maxBytes));
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            var document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), new JsonDocumentOptions { MaxDepth = 64 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                return (null, BrokerResults.Error(StatusCodes.Status400BadRequest, "malformed JSON: the body must be a JSON object"));
            }

            return (document, null);
        }
        catch (JsonException e)
        {
            return (null, BrokerResults.Error(StatusCodes.Status400BadRequest, "malformed JSON: " + e.Message));
        }
    }

    private static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.MediaType.Value is not { } mediaType)
        {
            return false;
        }

        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    private static IResult TooLarge(int maxBytes) =>
        BrokerResults.Error(StatusCodes.Status413PayloadTooLarge, $"request body exceeds {maxBytes} bytes");
}
