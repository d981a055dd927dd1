using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Vpp.Silo.Security;

/// <summary>
/// How a person reaches the dashboard outside Development: a browser cannot send X-Api-Key, so the sign-in page
/// takes a key with the read role once and sets a cookie. Scripts may still send the header instead.
/// </summary>
public static class DashboardAuthentication
{
    public const string CookieScheme = "DashboardCookie";

    /// <summary>Picks the header when one is sent, the cookie otherwise (so an unauthenticated browser is sent to sign in).</summary>
    public const string SelectorScheme = "Dashboard";

    public const string PolicyName = "dashboard";
    public const string SignInPath = "/auth/signin";
    public const string SignOutPath = "/auth/signout";
    public const string DashboardPath = "/dashboard";

    /// <summary>"Dashboard:RequireAuthentication"; when absent, required everywhere but in Development.</summary>
    public static bool IsRequired(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetValue("Dashboard:RequireAuthentication", !environment.IsDevelopment());

    public static AuthenticationBuilder AddDashboardSchemes(this AuthenticationBuilder auth)
    {
        auth.AddCookie(CookieScheme, o =>
        {
            o.Cookie.Name = "vpp-dashboard";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            // Secure always: behind a TLS-terminating proxy the request is HTTPS as the proxy reports it (Api:Proxy),
            // and browsers accept Secure cookies from http://localhost during development.
            o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            o.LoginPath = SignInPath;
            o.AccessDeniedPath = SignInPath;
            o.ReturnUrlParameter = "returnUrl";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.Events.OnValidatePrincipal = RejectIfKeyIsGoneAsync;
        });
        auth.AddPolicyScheme(SelectorScheme, "API key header or dashboard cookie", o =>
            o.ForwardDefaultSelector = context => context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
                ? ApiKeyAuthenticationHandler.SchemeName
                : CookieScheme);
        return auth;
    }

    /// <summary>
    /// A cookie outlives configuration changes: when its key was removed, rotated (other fingerprint) or lost the
    /// read role, the cookie stops working at the next request instead of at its expiry.
    /// </summary>
    private static async Task RejectIfKeyIsGoneAsync(CookieValidatePrincipalContext context)
    {
        var keys = context.HttpContext.RequestServices.GetRequiredService<ApiKeyStore>();
        var principal = context.Principal;
        var key = principal?.Identity?.Name is { } name ? keys.FindByName(name) : null;
        if (key is null
            || principal!.FindFirst(ApiKeyClaims.Fingerprint)?.Value != key.Fingerprint
            || !key.Roles.Contains(ApiRoles.Read)
            || key.Fleets is not null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
        }
    }
}
