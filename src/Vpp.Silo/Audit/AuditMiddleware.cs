using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Vpp.Silo.Security;

namespace Vpp.Silo.Audit;

/// <summary>
/// Records every state-changing call of the HTTP API (POST, PUT, PATCH, DELETE under /api/) after it is answered,
/// refusals included. Left out: device data (endpoints only the <c>telemetry</c> role may call, and an asset status
/// reported by a key without <c>admin</c>, i.e. by its gateway), which arrive many times a second and change nothing
/// an operator decided. The body is copied as the endpoint reads it, up to <see cref="AuditOptions.MaxBodyBytes"/>.
/// </summary>
public sealed class AuditMiddleware(RequestDelegate next, AuditWriter writer, IOptions<AuditOptions> options)
{
    public const string Anonymous = "(anonymous)";

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint() as RouteEndpoint;
        if (endpoint is null || !IsStateChanging(context.Request) || OnlyFor(endpoint) == ApiRoles.Telemetry)
        {
            await next(context);
            return;
        }

        var capture = new CapturingStream(context.Request.Body, options.Value.MaxBodyBytes);
        context.Request.Body = capture;
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true; // the exception handler further out answers 500
            throw;
        }
        finally
        {
            context.Request.Body = capture.Inner;
            if (!(OnlyFor(endpoint) == ApiRoles.StatusReporters && !context.User.IsInRole(ApiRoles.Admin)))
            {
                writer.TryEnqueue(new AuditEntry(
                    0,
                    writer.Clock.GetUtcNow(),
                    context.User.FindFirstValue(ClaimTypes.Name) ?? Anonymous,
                    context.Request.Method,
                    endpoint.RoutePattern.RawText ?? context.Request.Path.Value ?? "",
                    context.Request.Path.Value ?? "",
                    [.. endpoint.RoutePattern.Parameters.Select(p => context.Request.RouteValues[p.Name] as string).OfType<string>()],
                    capture.Captured,
                    capture.Truncated,
                    failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode));
            }
        }
    }

    private static bool IsStateChanging(HttpRequest request) =>
        request.Path.StartsWithSegments("/api", StringComparison.Ordinal)
        && (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method) || HttpMethods.IsDelete(request.Method));

    private static string? OnlyFor(Endpoint endpoint) =>
        endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>().LastOrDefault();

    /// <summary>Passes the body through to the endpoint and keeps its first bytes.</summary>
    private sealed class CapturingStream(Stream inner, int maxBytes) : Stream
    {
        private readonly MemoryStream _kept = new();
        private long _total;

        public Stream Inner => inner;

        public bool Truncated => _total > _kept.Length;

        public string? Captured => _total == 0 ? null : Encoding.UTF8.GetString(_kept.GetBuffer(), 0, (int)_kept.Length);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Keep(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            return Keep(buffer.Span[..read]);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Keep(ReadOnlySpan<byte> read)
        {
            var room = (int)Math.Max(0, maxBytes - _kept.Length);
            _kept.Write(read[..Math.Min(room, read.Length)]);
            _total += read.Length;
            return read.Length;
        }
    }
}
