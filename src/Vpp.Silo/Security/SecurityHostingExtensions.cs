using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Vpp.Silo.Security;

/// <summary>Wires API keys, role policies, rate limits, body limits and the dashboard sign-in into the host.</summary>
public static class SecurityHostingExtensions
{
    public static void AddVppApiSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateOnStart();
        services.AddOptions<ApiLimitsOptions>().BindConfiguration(ApiLimitsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton<IValidateOptions<ApiLimitsOptions>, ApiLimitsOptionsValidator>();
        services.AddSingleton<ApiKeyStore>();

        // Created at start, not at the first request, so a generated key is in the log before anyone needs it.
        services.AddHostedService<ApiKeyStoreWarmUp>();

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(
                ApiKeyAuthenticationHandler.SchemeName, null)
            .AddDashboardSchemes();
        services.AddAuthorizationBuilder()
            .AddRolePolicy(ApiRoles.Read)
            .AddRolePolicy(ApiRoles.Dispatch)
            .AddRolePolicy(ApiRoles.Telemetry)
            .AddRolePolicy(ApiRoles.Admin)
            .AddRolePolicy(ApiRoles.StatusReporters)
            .AddPolicy(DashboardAuthentication.PolicyName, p => p
                .AddAuthenticationSchemes(DashboardAuthentication.SelectorScheme)
                .RequireAuthenticatedUser()
                .RequireRole(ApiRoles.Read)
                .RequireAssertion(c => FleetScope.FleetsOf(c.User) is null)); // the dashboard shows every fleet's grains
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ApiAuthorizationResultHandler>();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "vpp-antiforgery";
            o.SuppressXFrameOptionsHeader = true; // HttpHardening sends DENY on every answer
        });
        services.AddApiRateLimiting();
        services.AddSingleton<TelemetryItemRateLimiter>();
        services.AddSingleton<Api.EventStreamSlots>();
        services.AddSingleton<FailedKeyAttempts>();

        // Kestrel refuses larger bodies itself; JsonBody enforces the same limit (and answers 413 as a problem). An
        // endpoint with its own request size limit (the telemetry batch) raises it for its requests only.
        var maxBodyBytes = builder.Configuration.GetValue($"{ApiLimitsOptions.SectionName}:MaxRequestBodyBytes", new ApiLimitsOptions().MaxRequestBodyBytes);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = maxBodyBytes);
    }

    /// <summary>
    /// Authentication, then rate limiting (which partitions by the authenticated key), the dashboard's key guard, then
    /// authorization.
    /// </summary>
    public static void UseVppApiSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseDashboardKeyGuard();
        app.UseAuthorization();
    }

    /// <summary>Outside Development the dashboard needs a key with the read role (header or sign-in cookie).</summary>
    public static TBuilder RequireDashboardAuthentication<TBuilder>(this TBuilder dashboard, WebApplication app)
        where TBuilder : IEndpointConventionBuilder
    {
        if (DashboardAuthentication.IsRequired(app.Configuration, app.Environment))
        {
            dashboard.RequireAuthorization(DashboardAuthentication.PolicyName);
        }

        return dashboard;
    }

    /// <summary>A policy named after the role it requires, or after several joined by '|' of which any will do.</summary>
    private static AuthorizationBuilder AddRolePolicy(this AuthorizationBuilder authorization, string policy) =>
        authorization.AddPolicy(policy, p => p
            .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()
            .RequireRole(ApiRoles.OfPolicy(policy)));

    /// <summary>Resolving the store is the whole point: its constructor loads (or generates and logs) the keys.</summary>
    private sealed class ApiKeyStoreWarmUp : IHostedService
    {
        public ApiKeyStoreWarmUp(ApiKeyStore keys) => ArgumentNullException.ThrowIfNull(keys);

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
