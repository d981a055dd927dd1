using Vpp.Domain.Validation;

namespace Vpp.Domain.Assets;

/// <summary>
/// Rules for asset and fleet ids: 1–64 characters of [A-Za-z0-9._-] with at least one non-digit.
/// The non-digit rule matters: Orleans parses an all-digit string key as an integer key in places.
/// </summary>
public static class EntityId
{
    public const int MaxLength = 64;

    public static string? Problem(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return "is required";
        }

        if (id.Length > MaxLength)
        {
            return $"must be at most {MaxLength} characters";
        }

        // URLs resolve "." and ".." as path segments, so an asset or fleet with such an id could never be addressed.
        if (id is "." or "..")
        {
            return "cannot be '.' or '..' (a URL cannot address it)";
        }

        var hasNonDigit = false;
        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return "may only contain letters, digits, '.', '_' and '-'";
            }

            hasNonDigit |= !char.IsAsciiDigit(c);
        }

        return hasNonDigit ? null : "must contain at least one non-digit character";
    }

    public static bool IsValid(string? id) => Problem(id) is null;

    public static void Check(FieldErrors errors, string field, string? id)
    {
        if (Problem(id) is { } problem)
        {
            errors.Add(field, problem);
        }
    }

    public static void ThrowIfInvalid(string field, string? id)
    {
        var errors = new FieldErrors();
        Check(errors, field, id);
        DomainValidationException.ThrowIfAny(errors.Errors);
    }
}
