using System.Text.Json;

namespace Vpp.Silo.Api;

/// <summary>
/// Reads a JSON request body and turns every way it can be wrong into a 400/415 problem that names the field,
/// instead of the framework's generic binding failure.
/// </summary>
public static class JsonBody
{
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, JsonSerializerOptions options)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, ApiProblems.UnsupportedMediaType(request.ContentType));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, options, request.HttpContext.RequestAborted);
            return value is null
                ? (null, ApiProblems.Invalid("body", "a JSON object is required"))
                : (value, null);
        }
        catch (JsonException ex)
        {
            var field = FieldOf(ex.Path);
            return (null, ApiProblems.Invalid(field, Describe(ex)));
        }
    }

    /// <summary>"$.minPowerKw" → "minPowerKw"; the root → "body".</summary>
    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    private static string Describe(JsonException ex)
    {
        // System.Text.Json messages mention .NET types and line numbers; keep the useful part for API users.
        var message = ex.Message;
        var at = message.IndexOf(" Path:", StringComparison.Ordinal);
        message = at > 0 ? message[..at] : message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return "is not a known field";
        }

        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return "has the wrong type or an out-of-range value (numbers must be finite JSON numbers, times ISO 8601 with an offset)";
        }

        return ex.Path is null or "$" ? "is not valid JSON: " + message : "is not valid: " + message;
    }
}
