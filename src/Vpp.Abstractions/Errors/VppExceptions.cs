using Vpp.Domain.Validation;

namespace Vpp.Abstractions.Errors;

// Typed errors that cross grain calls intact, so the HTTP API and the SDK can say 400/404/409 with the details.

[GenerateSerializer, Immutable]
public sealed record FieldProblem([property: Id(0)] string Field, [property: Id(1)] string Message);

[GenerateSerializer]
public sealed class InvalidInputException : Exception
{
    public InvalidInputException(IReadOnlyList<FieldProblem> problems)
        : base(string.Join("; ", problems.Select(p => $"{p.Field}: {p.Message}")))
    {
        Problems = [.. problems];
    }

    public InvalidInputException(string field, string message)
        : this([new FieldProblem(field, message)])
    {
    }

    [Id(0)]
    public FieldProblem[] Problems { get; private set; }

    public static InvalidInputException From(IEnumerable<FieldError> errors) =>
        new([.. errors.Select(e => new FieldProblem(e.Field, e.Message))]);

    public static void ThrowIfAny(IReadOnlyList<FieldError> errors)
    {
        if (errors.Count > 0)
        {
            throw From(errors);
        }
    }
}

[GenerateSerializer]
public sealed class NotFoundException(string entity, string id)
    : Exception($"{entity} '{id}' does not exist")
{
    [Id(0)]
    public string Entity { get; private set; } = entity;

    [Id(1)]
    public string Id { get; private set; } = id;
}

[GenerateSerializer]
public sealed class ConflictException(string field, string message) : Exception(message)
{
    [Id(0)]
    public string Field { get; private set; } = field;
}

/// <summary>
/// The stored state of one grain cannot be read (a corrupt payload, or storage failing for it). Not the caller's
/// mistake and not something a retry of the same request fixes by itself until an operator repairs the row; every
/// other grain keeps working. The HTTP API answers 503 with this grain named.
/// </summary>
[GenerateSerializer]
public sealed class StateUnavailableException(string stateName, string grainId, string reason)
    : Exception($"the stored {stateName} state of grain '{grainId}' cannot be read: {reason}")
{
    /// <summary>The persistent state's name ("asset", "fleet", "fleetPartition").</summary>
    [Id(0)]
    public string StateName { get; private set; } = stateName;

    [Id(1)]
    public string GrainId { get; private set; } = grainId;

    [Id(2)]
    public string Reason { get; private set; } = reason;
}

/// <summary>
/// A change could not be stored (storage unreachable or failing), and so it was not made: nothing the caller asked
/// for took effect. Transient from the caller's view — the same request can be repeated once storage answers again.
/// The HTTP API answers 503 with this grain named.
/// </summary>
[GenerateSerializer]
public sealed class StorageUnavailableException(string stateName, string grainId)
    : Exception($"the {stateName} state of grain '{grainId}' could not be stored; nothing was changed — retry later")
{
    /// <summary>The persistent state's name ("fleet", "asset", …).</summary>
    [Id(0)]
    public string StateName { get; private set; } = stateName;

    [Id(1)]
    public string GrainId { get; private set; } = grainId;
}

/// <summary>
/// No schedule meets the fleet's constraints: <see cref="Constraint"/> names the family ("endSoc", "fcrBand", "model")
/// and <see cref="SlotStart"/> the slot where it fails; the message says by how much. The HTTP API answers 422.
/// </summary>
[GenerateSerializer]
public sealed class InfeasibleScheduleException(string constraint, DateTimeOffset slotStart, string message) : Exception(message)
{
    [Id(0)]
    public string Constraint { get; private set; } = constraint;

    [Id(1)]
    public DateTimeOffset SlotStart { get; private set; } = slotStart;
}

/// <summary>The optimiser found no schedule within its time limit. The HTTP API answers 503: a shorter horizon or a retry may succeed.</summary>
[GenerateSerializer]
public sealed class OptimisationTimedOutException(double timeLimitSeconds)
    : Exception($"the optimiser found no schedule within its time limit of {timeLimitSeconds:0.###} s")
{
    [Id(0)]
    public double TimeLimitSeconds { get; private set; } = timeLimitSeconds;
}
