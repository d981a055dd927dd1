using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace Vpp.Silo.Security;

/// <summary>The sign-in page of the dashboard: a form for an API key with the read role, answered with a cookie.</summary>
public static class DashboardSignInEndpoints
{
    public const string KeyField = "apiKey";

    public static IEndpointRouteBuilder MapDashboardSignIn(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").ExcludeFromDescription().AllowAnonymous();
        group.MapGet(DashboardAuthentication.SignInPath, ShowForm).RequireRateLimiting(ApiRateLimiting.PolicyName);
        group.MapPost(DashboardAuthentication.SignInPath, SignInAsync).RequireRateLimiting(ApiRateLimiting.SignInPolicyName);
        group.MapPost(DashboardAuthentication.SignOutPath, (Delegate)SignOutAsync).RequireRateLimiting(ApiRateLimiting.PolicyName);
        return app;
    }

    private static IResult ShowForm(HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
        Page(context, antiforgery, LocalOrDashboard(returnUrl), message: null, StatusCodes.Status200OK);

    // Antiforgery is checked by hand (the endpoint reads the form itself) so a failure is a page, not an exception.
    private static async Task<IResult> SignInAsync(HttpContext context, IAntiforgery antiforgery, ApiKeyStore keys)
    {
        if (!context.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(context))
        {
            return Page(context, antiforgery, DashboardAuthentication.DashboardPath, "The form expired; please try again.", StatusCodes.Status400BadRequest);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = LocalOrDashboard(form["returnUrl"]);
        var key = keys.Find(form[KeyField].ToString());
        if (key is null || !key.Roles.Contains(ApiRoles.Read) || key.Fleets is not null)
        {
            // One message for every case: the page must not tell a guesser that a key exists.
            return Page(context, antiforgery, returnUrl, "That key is unknown or may not open the dashboard.", StatusCodes.Status401Unauthorized);
        }

        await context.SignInAsync(
            DashboardAuthentication.CookieScheme,
            ApiKeyAuthenticationHandler.PrincipalOf(key, DashboardAuthentication.CookieScheme),
            new AuthenticationProperties { IsPersistent = false });
        return Results.Redirect(returnUrl);
    }

    private static async Task<IResult> SignOutAsync(HttpContext context)
    {
        await context.SignOutAsync(DashboardAuthentication.CookieScheme);
        return Results.Redirect(DashboardAuthentication.SignInPath);
    }

    /// <summary>Only a path on this site is followed after sign-in: anything else would be an open redirect.</summary>
    public static string LocalOrDashboard(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : DashboardPath;

    private const string DashboardPath = DashboardAuthentication.DashboardPath;

    private static IResult Page(HttpContext context, IAntiforgery antiforgery, string returnUrl, string? message, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var error = message is null ? "" : $"<p class=\"error\">{WebUtility.HtmlEncode(message)}</p>";
        var html = $$"""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Vpp.Orleans — sign in</title>
            <style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto}input{width:100%;padding:.5rem;margin:.5rem 0}.error{color:#b00020}</style>
            </head>
            <body>
            <h1>Orleans dashboard</h1>
            <p>Sign in with an API key that has the <code>read</code> role.</p>
            {{error}}
            <form method="post" action="{{DashboardAuthentication.SignInPath}}">
              <input type="hidden" name="{{WebUtility.HtmlEncode(tokens.FormFieldName)}}" value="{{WebUtility.HtmlEncode(tokens.RequestToken)}}">
              <input type="hidden" name="returnUrl" value="{{WebUtility.HtmlEncode(returnUrl)}}">
              <label for="key">API key</label>
              <input id="key" name="{{KeyField}}" type="password" autocomplete="current-password" required autofocus>
              <button type="submit">Sign in</button>
            </form>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
