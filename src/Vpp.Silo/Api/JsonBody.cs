using System.Text.Json;
using Vpp.Abstractions.Errors;
using Vpp.Domain.Validation;

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

    /// <summary>
    /// Reads the body and converts it to what the grain takes, collecting field errors on the way; the caller gets
    /// either the converted value or the 400/415 problem to answer with.
    /// </summary>
    public static async Task<(TOut Value, IResult? Problem)> ReadValidAsync<TIn, TOut>(
        HttpRequest request, JsonSerializerOptions options, Func<TIn, FieldErrors, TOut> convert)
        where TIn : class
    {
        var (body, problem) = await ReadAsync<TIn>(request, options);
        if (problem is not null)
        {
            return (default!, problem);
        }

        var errors = new FieldErrors();
        var value = convert(body!, errors);
        return errors.Any
            ? (default!, ApiProblems.Invalid(errors.Errors.Select(e => new FieldProblem(e.Field, e.Message))))
            : (value, null);
    }

    /// <summary>"$.minPowerKw" → "minPowerKw", "$[3].activePowerKw" (an array body) → "[3].activePowerKw"; the root → "body".</summary>
    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body"
        : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..]
        : path.StartsWith("$[", StringComparison.Ordinal) ? path[1..]
        : path;

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
