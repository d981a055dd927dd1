using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Vpp.Silo.Security;

/// <summary>
/// Remembers which roles a refused request needed, so the 403 can say so; the default handler then challenges
/// or forbids through the policy's schemes as usual.
/// </summary>
public sealed class ApiAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden)
        {
            context.Items[ApiKeyAuthenticationHandler.RequiredRolesItem] = policy.Requirements
                .OfType<RolesAuthorizationRequirement>()
                .SelectMany(r => r.AllowedRoles)
                .Distinct()
                .ToArray();
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
