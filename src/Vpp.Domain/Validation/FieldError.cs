namespace Vpp.Domain.Validation;

/// <summary>One thing wrong with an input, named by its wire (camelCase) field path.</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>Thrown by domain code when input breaks a rule; callers map it to a 400 naming the fields.</summary>
public sealed class DomainValidationException(IReadOnlyList<FieldError> errors)
    : Exception(string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;

    public static void ThrowIfAny(IReadOnlyList<FieldError> errors)
    {
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
    }
}

/// <summary>Collects field errors with the small checks every input needs.</summary>
public sealed class FieldErrors
{
    private readonly List<FieldError> _errors = [];

    public IReadOnlyList<FieldError> Errors => _errors;

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message) => _errors.Add(new FieldError(field, message));

    /// <summary>Adds an error when the value is NaN or infinite; true when it is finite.</summary>
    public bool Finite(string field, double value)
    {
        if (double.IsFinite(value))
        {
            return true;
        }

        Add(field, "must be a finite number");
        return false;
    }

    public bool Finite(string field, double? value) => value is not { } v || Finite(field, v);

    public void Range(string field, double? value, double min, double max)
    {
        if (value is { } v && Finite(field, v) && (v < min || v > max))
        {
            Add(field, $"must be between {min} and {max}");
        }
    }

    /// <summary>Adds an error when |value| exceeds <paramref name="maxAbs"/>; true when within (or absent).</summary>
    public bool Magnitude(string field, double? value, double maxAbs)
    {
        if (value is { } v && double.IsFinite(v) && Math.Abs(v) > maxAbs)
        {
            Add(field, $"must be between {-maxAbs:G} and {maxAbs:G}");
            return false;
        }

        return true;
    }

    public void Positive(string field, double? value)
    {
        if (value is { } v && Finite(field, v) && v <= 0)
        {
            Add(field, "must be greater than 0");
        }
    }

    public void NotNegative(string field, double? value)
    {
        if (value is { } v && Finite(field, v) && v < 0)
        {
            Add(field, "must not be negative");
        }
    }

    public void NotApplicable(string field, object? value, string kind)
    {
        if (value is not null)
        {
            Add(field, $"does not apply to a {kind} asset");
        }
    }

    public void Required(string field, object? value, string why)
    {
        if (value is null)
        {
            Add(field, $"is required {why}");
        }
    }
}
