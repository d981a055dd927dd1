using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Vpp.Silo.Security;

namespace Vpp.Silo.Api;

/// <summary>
/// Reads a request body up to the limit (the endpoint's request size limit, else Api:MaxRequestBodyBytes) and
/// answers 413 as a problem beyond it. Kestrel enforces the same limit; this also covers servers that do not
/// (the test server) and turns Kestrel's own refusal into a problem document.
/// </summary>
public static class RequestBodyLimit
{
    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    public static long For(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
        ?? context.RequestServices.GetRequiredService<IOptions<ApiLimitsOptions>>().Value.MaxRequestBodyBytes;

    public static async Task<(ReadOnlyMemory<byte> Body, IResult? TooLarge)> ReadBoundedAsync(HttpRequest request)
    {
        var limit = For(request.HttpContext);
        if (request.ContentLength > limit)
        {
            return (default, ApiProblems.PayloadTooLarge(limit));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return (default, ApiProblems.PayloadTooLarge(limit));
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (default, ApiProblems.PayloadTooLarge(limit));
        }

        // JsonSerializer skips a UTF-8 byte order mark when it reads a stream, not a span: skip it here as well.
        var body = buffer.ToArray().AsMemory();
        return (body.Span.StartsWith(Utf8ByteOrderMark) ? body[Utf8ByteOrderMark.Length..] : body, null);
    }
}
