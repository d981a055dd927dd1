using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Vpp.Silo.Console;

/// <summary>
/// Serves the operator console (the static page in console/ next to the binaries) at <c>/</c>. The page holds no
/// data and no secret: it signs in with an API key and reads everything through /api/v1, where roles are enforced.
/// </summary>
public static class OperatorConsole
{
    public const string FolderName = "console";

    // Everything comes from this silo: no CDN, no inline script, no framing by other sites.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    public static WebApplication UseOperatorConsole(this WebApplication app)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, FolderName);
        if (!Directory.Exists(folder))
        {
            app.Logger.LogWarning("Operator console not found in {Folder}; / will not serve it (was the silo built with npm available?)", folder);
            return app;
        }

        var files = new PhysicalFileProvider(folder);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                // nosniff, X-Frame-Options and Referrer-Policy come with every answer (Security.HttpHardening).
                var headers = context.Context.Response.Headers;
                headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
                // Revalidate every time: a new silo version must not run against a cached old page.
                headers[HeaderNames.CacheControl] = "no-cache";
            },
        });
        return app;
    }
}
