using Vpp.Abstractions.Errors;

namespace Vpp.Silo.Api;

/// <summary>Problem details (RFC 9457) for client mistakes: always the status, a title, and the fields at fault.</summary>
public static class ApiProblems
{
    public static IResult Invalid(string field, string message) => Invalid([new FieldProblem(field, message)]);

    public static IResult Invalid(IEnumerable<FieldProblem> problems)
    {
        var list = problems.ToList();
        var errors = list.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray());
        return Results.ValidationProblem(
            errors,
            detail: string.Join("; ", list.Select(p => $"{p.Field} {p.Message}")),
            title: "The request is invalid");
    }

    public static IResult NotFound(string entity, string id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"Unknown {entity}", detail: $"{entity} '{id}' does not exist",
            extensions: new Dictionary<string, object?> { ["entity"] = entity, ["id"] = id });

    public static IResult Conflict(string field, string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The request conflicts with the current state", detail: detail,
            extensions: new Dictionary<string, object?> { ["field"] = field });

    /// <summary>422: the request is well formed, but no schedule meets the fleet's constraints; names the family and slot.</summary>
    public static IResult Infeasible(InfeasibleScheduleException infeasible) =>
        Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "No schedule meets the fleet's constraints", detail: infeasible.Message,
            extensions: new Dictionary<string, object?> { ["constraint"] = infeasible.Constraint, ["slotStart"] = infeasible.SlotStart });

    public static IResult UnsupportedMediaType(string? contentType) =>
        Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
            detail: $"send the body as application/json (got '{contentType ?? "no content type"}')");

    /// <summary>
    /// 503, not 500: the server is healthy and every other asset and fleet answers, but this one's stored state cannot
    /// be read until an operator repairs it — not the client's mistake, and not an unexplained crash either. The
    /// answer is generic; the cause (a storage error, a corrupt payload) is in the silo's log (UnreadableStateGuard).
    /// </summary>
    public static IResult StateUnavailable(StateUnavailableException unavailable) =>
        Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Stored state unavailable",
            detail: $"the stored {unavailable.StateName} state cannot be read at the moment; the silo's log has the cause",
            extensions: new Dictionary<string, object?> { ["state"] = unavailable.StateName, ["grainId"] = unavailable.GrainId });

    /// <summary>503: storage failed to take a change, so the change was not made; the same request can be repeated.</summary>
    public static IResult StorageUnavailable(StorageUnavailableException unavailable) =>
        Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Storage unavailable",
            detail: unavailable.Message,
            extensions: new Dictionary<string, object?> { ["state"] = unavailable.StateName, ["grainId"] = unavailable.GrainId });

    public static IResult Unauthorized(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Authentication required", detail: detail,
            extensions: new Dictionary<string, object?> { ["header"] = Security.ApiKeyAuthenticationHandler.HeaderName });

    public static IResult Forbidden(IReadOnlyCollection<string> requiredRoles) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The API key lacks the role this request needs",
            detail: requiredRoles.Count == 0
                ? "the API key is not allowed to do this"
                : $"this request needs an API key with the role {string.Join(" or ", requiredRoles.Select(r => $"'{r}'"))}",
            extensions: new Dictionary<string, object?> { ["requiredRoles"] = requiredRoles });

    public static IResult TooManyRequests(TimeSpan retryAfter, string? why = null) =>
        Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
            detail: $"{why ?? "the rate limit of this API key is used up"}; retry after {RetryAfterSeconds(retryAfter)} s",
            extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = RetryAfterSeconds(retryAfter) });

    public static IResult PayloadTooLarge(long limitBytes) =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large",
            detail: $"the body must be at most {limitBytes} bytes",
            extensions: new Dictionary<string, object?> { ["limitBytes"] = limitBytes });

    /// <summary>Whole seconds, rounded up, at least 1: what a Retry-After header can carry.</summary>
    public static long RetryAfterSeconds(TimeSpan retryAfter) => Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));

    /// <summary>How long a caller should wait before repeating a request whose grain could not be activated in time.</summary>
    public static readonly TimeSpan ActivationRetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>Maps the typed errors grains throw; anything else is a server fault and is rethrown.</summary>
    public static IResult? FromException(Exception ex) => ex switch
    {
        InvalidInputException invalid => Invalid(invalid.Problems),
        NotFoundException missing => NotFound(missing.Entity, missing.Id),
        ConflictException conflict => Conflict(conflict.Field, conflict.Message),
        StateUnavailableException unavailable => StateUnavailable(unavailable),
        StorageUnavailableException unavailable => StorageUnavailable(unavailable),
        InfeasibleScheduleException infeasible => Infeasible(infeasible),
        OptimisationTimedOutException timedOut => Results.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "The optimiser ran out of time", detail: timedOut.Message,
            extensions: new Dictionary<string, object?> { ["timeLimitSeconds"] = timedOut.TimeLimitSeconds }),
        TimeoutException late => Results.Problem(
            statusCode: StatusCodes.Status504GatewayTimeout, title: "No answer in time",
            detail: "the grain handling this request did not answer within the silo's response timeout; a change may still " +
                    "have been applied, so read the state before repeating it"),
        // Orleans cancels an activation that does not finish activating within its activation timeout (a starved or
        // recovering silo: seen at 300,000 assets while a killed silo's grains moved); the request was not the client's
        // mistake and a part of it may have run. The caller's own abort never gets here (MapGrainErrorsAsync).
        OperationCanceledException => Results.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not answered: the cluster is overloaded or recovering",
            detail: "a grain this request needed could not be activated in time; a change may have been applied in part, " +
                    "so read the state before repeating it",
            extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = RetryAfterSeconds(ActivationRetryAfter) }),
        { InnerException: { } inner } => FromException(inner), // a failed activation may wrap the grain's error
        _ => null,
    };
}
