using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;

namespace Vpp.Silo.Api;

/// <summary>
/// Makes the schemas say what the API enforces: request members are nullable only so a missing field can be told
/// apart from zero, so "required" lists the fields the API really requires; string enums list their values.
/// </summary>
public static class ApiSchemaDocs
{
    private static readonly Dictionary<Type, string[]> RequiredRequestFields = new()
    {
        [typeof(AssetSpecRequest)] = ["fleetId", "kind", "minPowerKw", "maxPowerKw"],
        [typeof(TelemetryRequest)] = ["activePowerKw"],
        [typeof(StatusRequest)] = ["status"],
        [typeof(DispatchHttpRequest)] = ["targetKw"],
    };

    private static readonly Dictionary<string, IReadOnlyList<string>> EnumValues = new()
    {
        ["kind"] = WireNames.Kinds,
        ["status"] = WireNames.Statuses,
        ["strategy"] = DispatchStrategies.Names,
    };

    public static Task DescribeAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (RequiredRequestFields.TryGetValue(type, out var required))
        {
            schema.Required = new HashSet<string>(required);
        }
        else if (type.Namespace == typeof(ApiSchemaDocs).Namespace && schema.Properties is { Count: > 0 })
        {
            // Answers omit null members, so only members that can never be null are always present.
            schema.Required = new HashSet<string>(context.JsonTypeInfo.Properties
                .Where(p => Nullable.GetUnderlyingType(p.PropertyType) is null && !p.IsGetNullable)
                .Select(p => p.Name));
        }

        if (context.JsonPropertyInfo is { PropertyType: var propertyType } property
            && propertyType == typeof(string)
            && property.DeclaringType.Namespace == typeof(ApiSchemaDocs).Namespace
            && EnumValues.TryGetValue(property.Name, out var values))
        {
            schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
        }

        return Task.CompletedTask;
    }
}
