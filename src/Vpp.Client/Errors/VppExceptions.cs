using Vpp.Abstractions.Errors;

namespace Vpp.Client.Errors;

/// <summary>Base of every error the SDK throws for a failed operation.</summary>
public abstract class VppException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected VppException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}

/// <summary>The request was invalid; <see cref="Problems"/> names each field at fault (as the HTTP API does).</summary>
public sealed class VppValidationException : VppException
{
    /// <summary>Creates the exception from the problems found.</summary>
    public VppValidationException(IReadOnlyList<FieldProblem> problems, Exception? inner = null)
        : base(string.Join("; ", problems.Select(p => $"{p.Field}: {p.Message}")), inner)
    {
        Problems = problems;
    }

    /// <summary>One entry per problem: the field (camelCase, as on the wire) and what is wrong with it.</summary>
    public IReadOnlyList<FieldProblem> Problems { get; }

    /// <summary>The distinct fields at fault.</summary>
    public IReadOnlyList<string> Fields => [.. Problems.Select(p => p.Field).Distinct()];
}

/// <summary>The asset or fleet does not exist.</summary>
public sealed class VppNotFoundException(string entity, string id, Exception? inner = null)
    : VppException($"{entity} '{id}' does not exist", inner)
{
    /// <summary>"asset" or "fleet".</summary>
    public string Entity { get; } = entity;

    /// <summary>The id that was not found.</summary>
    public string Id { get; } = id;
}

/// <summary>The request conflicts with the current state (e.g. changing the kind of a registered asset).</summary>
public sealed class VppConflictException(string field, string message, Exception? inner = null)
    : VppException(message, inner)
{
    /// <summary>The field whose value conflicts.</summary>
    public string Field { get; } = field;
}

/// <summary>
/// The VPP cluster could not be reached or did not answer in time (no gateway, silo failure, timeout). The
/// operation may or may not have taken effect; retrying an idempotent operation is safe.
/// </summary>
public sealed class VppUnavailableException(string message, Exception? inner = null) : VppException(message, inner);

/// <summary>The cluster refused the call: the method is internal to the silos and not open to clients.</summary>
public sealed class VppAccessDeniedException(string message, Exception? inner = null) : VppException(message, inner);

/// <summary>
/// No schedule meets the fleet's constraints: <see cref="Constraint"/> names the family ("endSoc", "fcrBand", "reserve",
/// "model") and <see cref="SlotStart"/> the slot where it fails; the message says by how much.
/// </summary>
public sealed class VppInfeasibleException(string constraint, DateTimeOffset slotStart, string message, Exception? inner = null)
    : VppException(message, inner)
{
    /// <summary>The constraint family that cannot be met.</summary>
    public string Constraint { get; } = constraint;

    /// <summary>The start (UTC) of the slot where it fails.</summary>
    public DateTimeOffset SlotStart { get; } = slotStart;
}
