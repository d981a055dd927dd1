using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Vpp.Silo.Api;

namespace Vpp.Silo.Security;

/// <summary>
/// Authenticates a request by its X-Api-Key header. No header: not authenticated (the endpoint's policy decides);
/// an unknown key: failed. Refusals are problem documents: 401 with a WWW-Authenticate hint, 403 naming the role.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    /// <summary>HttpContext.Items slot where <see cref="ApiAuthorizationResultHandler"/> leaves the roles a refused request needed.</summary>
    public const string RequiredRolesItem = "Vpp.RequiredRoles";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        // The failure messages below end up in logs: they must never contain what the caller sent.
        if (values.Count > 1)
        {
            return Task.FromResult(AuthenticateResult.Fail($"more than one {HeaderName} header"));
        }

        if (keys.Find(values[0] ?? "") is not { } key)
        {
            return Task.FromResult(AuthenticateResult.Fail("unknown API key"));
        }

        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(PrincipalOf(key, Scheme.Name), Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        var detail = Request.Headers.ContainsKey(HeaderName)
            ? $"the {HeaderName} header does not hold a valid API key"
            : $"send an API key in the {HeaderName} header";
        await ApiProblems.Unauthorized(detail).ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var roles = Context.Items[RequiredRolesItem] as IReadOnlyCollection<string> ?? [];
        await ApiProblems.Forbidden(roles).ExecuteAsync(Context);
    }

    /// <summary>The identity of a key: its name and its roles, as role claims the policies check.</summary>
    public static ClaimsPrincipal PrincipalOf(ApiKey key, string scheme)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, key.Name), new(ApiKeyClaims.Fingerprint, key.Fingerprint) };
        claims.AddRange(key.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        claims.AddRange((key.Fleets ?? []).Select(f => new Claim(ApiKeyClaims.Fleet, f)));
        if (key.Trader is { } trader)
        {
            claims.Add(new Claim(ApiKeyClaims.Trader, trader));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}

public static class ApiKeyClaims
{
    public const string Fingerprint = "vpp:key-fingerprint";

    /// <summary>One per fleet a scoped key may use; none on a key that may use every fleet.</summary>
    public const string Fleet = "vpp:fleet";

    /// <summary>The trader a key belongs to (<see cref="ApiKeyEntry.Trader"/>); absent on the operator's keys.</summary>
    public const string Trader = "vpp:trader";
}
