using Microsoft.OpenApi;

namespace Vpp.Silo.Api;

/// <summary>
/// OpenAPI metadata for endpoints that read their own body and query (to refuse bad input with a named field):
/// the framework cannot infer those, so each endpoint declares them here.
/// </summary>
public static class ApiEndpointDocs
{
    /// <summary>The JSON body the endpoint reads, and the refusals reading it can answer (400, 413, 415).</summary>
    public static RouteHandlerBuilder WithJsonBody<TBody>(this RouteHandlerBuilder endpoint)
        where TBody : notnull =>
        endpoint
            .Accepts<TBody>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    /// <summary>404 for an unknown id, 400 for a malformed one.</summary>
    public static RouteHandlerBuilder ProducesNotFound(this RouteHandlerBuilder endpoint) =>
        endpoint.ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

    public static RouteHandlerBuilder WithQueryParameter(this RouteHandlerBuilder endpoint, string name, JsonSchemaType type, string description) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Query,
                Required = false,
                Description = description,
                Schema = new OpenApiSchema { Type = type },
            });
            return Task.CompletedTask;
        });
}
