using Vpp.Grains.Contracts;
using Vpp.Abstractions.Errors;
using Vpp.Domain.Assets;

namespace Vpp.Silo.Api;

/// <summary>
/// The query string of a fleet's asset table (<c>page, pageSize, sort, desc, kind, status, q</c>), read strictly:
/// every value that is present must be valid, and each bad one is named in the answer.
/// </summary>
public sealed record AssetPageQuery(int Page, int PageSize, MemberQuery Members)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const int MaxSearchLength = 64;

    /// <summary>Pages beyond this would make every partition send all its members; nobody pages that deep by hand.</summary>
    public const int MaxRowsSkipped = 100_000;

    public static readonly IReadOnlyList<string> SortNames = ["assetId", "kind", "status", "setpointKw", "minPowerKw", "maxPowerKw", "activePowerKw"];

    public static readonly IReadOnlyList<string> ParameterNames = ["page", "pageSize", "sort", "desc", "kind", "status", "q"];

    public int Offset => (Page - 1) * PageSize;

    public static (AssetPageQuery? Query, List<FieldProblem> Problems) Parse(IQueryCollection query)
    {
        var problems = RefuseUnknownParameters(query, ParameterNames);
        var page = WholeNumber(query, "page", 1, 1, int.MaxValue, problems);
        var pageSize = WholeNumber(query, "pageSize", DefaultPageSize, 1, MaxPageSize, problems);
        if (problems.Count == 0 && (long)(page - 1) * pageSize > MaxRowsSkipped)
        {
            problems.Add(new FieldProblem("page", $"skips more than {MaxRowsSkipped:N0} rows; narrow the list with kind, status or q"));
        }

        var sort = MemberSort.AssetId;
        if (Single(query, "sort", problems) is { } sortText)
        {
            if (WireNames.IndexOf(SortNames, sortText) is { } i)
            {
                sort = (MemberSort)i;
            }
            else
            {
                problems.Add(new FieldProblem("sort", WireNames.OneOf(SortNames)));
            }
        }

        var descending = false;
        if (Single(query, "desc", problems) is { } descText && !bool.TryParse(descText, out descending))
        {
            problems.Add(new FieldProblem("desc", "must be true or false"));
        }

        AssetKind? kind = null;
        if (Single(query, "kind", problems) is { } kindText && (kind = WireNames.ParseKind(kindText)) is null)
        {
            problems.Add(new FieldProblem("kind", WireNames.OneOf(WireNames.Kinds)));
        }

        AssetStatus? status = null;
        if (Single(query, "status", problems) is { } statusText && (status = WireNames.ParseStatus(statusText)) is null)
        {
            problems.Add(new FieldProblem("status", WireNames.OneOf(WireNames.Statuses)));
        }

        var search = Single(query, "q", problems);
        if (search is not null && (search.Length > MaxSearchLength || search.Any(char.IsControl)))
        {
            problems.Add(new FieldProblem("q", $"must be at most {MaxSearchLength} characters without control characters"));
        }

        return problems.Count > 0
            ? (null, problems)
            : (new AssetPageQuery(page, pageSize, new MemberQuery(kind, status, string.IsNullOrEmpty(search) ? null : search, sort, descending, page * pageSize)), problems);
    }

    /// <summary>
    /// A misspelt parameter ("pagesize", "filter") would otherwise be ignored silently and the caller would trust a
    /// list it did not ask for; like unknown JSON fields, unknown parameters are refused by name.
    /// </summary>
    public static List<FieldProblem> RefuseUnknownParameters(IQueryCollection query, IReadOnlyList<string> known) =>
        [.. query.Keys
            .Where(name => WireNames.IndexOf(known, name) is null)
            .Select(name => new FieldProblem(name, known.Count == 0 ? "is not a parameter of this endpoint" : $"is not a parameter of this endpoint ({string.Join(", ", known)})"))];

    private static int WholeNumber(IQueryCollection query, string name, int fallback, int min, int max, List<FieldProblem> problems)
    {
        if (Single(query, name, problems) is not { } text)
        {
            return fallback;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            && value >= min && value <= max)
        {
            return value;
        }

        problems.Add(new FieldProblem(name, max == int.MaxValue ? $"must be a whole number of at least {min}" : $"must be a whole number from {min} to {max}"));
        return fallback;
    }

    /// <summary>The parameter's one value; null when absent; a problem when it is given more than once.</summary>
    private static string? Single(IQueryCollection query, string name, List<FieldProblem> problems)
    {
        if (!query.TryGetValue(name, out var values))
        {
            return null;
        }

        if (values.Count > 1)
        {
            problems.Add(new FieldProblem(name, "must be given once"));
            return null;
        }

        return values[0] ?? "";
    }
}
