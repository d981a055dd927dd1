using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using Vpp.Domain.Assets;
using Vpp.Silo.Security;

namespace Vpp.Silo.Api;

/// <summary>
/// The OpenAPI document of API v1 (/openapi/v1.json) and a browsable reference (/api/docs), both readable without
/// a key: they describe the API, they do not open it.
/// </summary>
public static class ApiDocumentation
{
    public const string DocumentName = "v1";
    public const string DocumentPattern = "/openapi/{documentName}.json";
    public const string ReferencePath = "/api/docs";
    public const string SecuritySchemeName = "ApiKey";

    /// <summary>What the id rule of <see cref="EntityId"/> looks like as a JSON Schema pattern.</summary>
    public const string IdPattern = @"^(?!\.{1,2}$)(?=.*[^0-9])[A-Za-z0-9._-]{1,64}$";

    public static IServiceCollection AddVppApiDocumentation(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, o =>
        {
            // The dashboard's own endpoints are not part of the API.
            o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Vpp.Orleans HTTP API",
                    Version = DocumentName,
                    Description = "Virtual power plant: register assets, report telemetry, read fleets, dispatch. "
                        + "Power in kW, positive = export to the grid; instants are UTC ISO 8601. "
                        + $"Every request needs an API key in the {ApiKeyAuthenticationHandler.HeaderName} header with the role the operation names.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SecuritySchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyAuthenticationHandler.HeaderName,
                    Description = $"An API key from Auth:ApiKeys (or {AuthOptions.EnvironmentKeyVariable}); roles: {string.Join(", ", ApiRoles.All)}.",
                };
                return Task.CompletedTask;
            });
            o.AddOperationTransformer(DescribeSecurityAndIds);
            o.AddSchemaTransformer(ApiSchemaDocs.DescribeAsync);
        });

    public static void MapVppApiDocumentation(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(DocumentPattern).AllowAnonymous();
        app.MapScalarApiReference(ReferencePath, o => o
                .WithTitle("Vpp.Orleans HTTP API")
                .WithOpenApiRoutePattern(DocumentPattern)
                .AddPreferredSecuritySchemes(SecuritySchemeName))
            .AllowAnonymous()
            .ExcludeFromDescription();
    }

    /// <summary>Secured operations name their role, carry the ApiKey requirement and list 401/403/429; ids get their rule.</summary>
    private static Task DescribeSecurityAndIds(OpenApiOperation operation, Microsoft.AspNetCore.OpenApi.OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        foreach (var parameter in operation.Parameters ?? [])
        {
            if (parameter is OpenApiParameter { Name: "assetId" or "fleetId", In: ParameterLocation.Path } id)
            {
                id.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = IdPattern, MaxLength = EntityId.MaxLength };
                id.Description = "1–64 characters of A–Z, a–z, 0–9, '.', '_', '-', with at least one non-digit; not '.' or '..'";
            }
        }

        if (metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any())
        {
            return Task.CompletedTask;
        }

        var roles = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>()
            .SelectMany(ApiRoles.OfPolicy).Where(ApiRoles.IsKnown).Distinct().ToArray();
        operation.Description = roles.Length == 1
            ? $"Requires an API key with the role: {roles[0]}."
            : $"Requires an API key with one of the roles: {string.Join(", ", roles)}.";
        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        operation.Extensions["x-required-roles"] = new JsonNodeExtension(new System.Text.Json.Nodes.JsonArray([.. roles.Select(r => (System.Text.Json.Nodes.JsonNode)r)]));
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeName, context.Document)] = [] });
        operation.Responses ??= new OpenApiResponses();
        operation.Responses.TryAdd("401", new OpenApiResponse { Description = $"No or unknown API key in {ApiKeyAuthenticationHandler.HeaderName} (problem details)" });
        operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The API key lacks the required role (problem details)" });
        operation.Responses.TryAdd("429", new OpenApiResponse { Description = "The API key's rate limit is used up; see Retry-After (problem details)" });
        return Task.CompletedTask;
    }
}
