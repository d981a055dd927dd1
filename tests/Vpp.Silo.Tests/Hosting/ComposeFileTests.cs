using System.Text.RegularExpressions;

namespace Vpp.Silo.Tests.Hosting;

/// <summary>
/// docker-compose.yml: the secrets have no silent defaults (compose refuses to start without them), every silo gets
/// the same API key, and the database admits every silo's connection pool.
/// </summary>
public sealed partial class ComposeFileTests
{
    private static readonly string[] Lines = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "docker-compose.yml"));

    /// <summary>The lines of one top-level block ("x-silo") or service ("  silo1"), by indentation.</summary>
    private static string[] Block(string header, int indent)
    {
        var start = Array.FindIndex(Lines, l => l == new string(' ', indent) + header + ":" || l.StartsWith(new string(' ', indent) + header + ": ", StringComparison.Ordinal));
        Assert.True(start >= 0, $"no '{header}' in docker-compose.yml");
        var end = Array.FindIndex(Lines, start + 1, l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#') && l.Length - l.TrimStart().Length <= indent);
        return Lines[(start + 1)..(end < 0 ? Lines.Length : end)];
    }

    [Theory]
    [InlineData("POSTGRES_PASSWORD")]
    [InlineData("VPP_API_KEY")]
    public void A_secret_is_required_and_never_defaulted(string variable)
    {
        var uses = Lines.Where(l => !l.TrimStart().StartsWith('#')).SelectMany(l => Interpolation().Matches(l)).Where(m => m.Groups["name"].Value == variable).ToList();

        Assert.NotEmpty(uses);
        Assert.All(uses, m => Assert.True(m.Groups["op"].Value == ":?", $"{m.Value} must be ${{{variable}:?message}}: no default"));
    }

    [Fact]
    public void Every_silo_gets_the_same_api_key_from_the_shared_environment()
    {
        var shared = Block("x-silo", 0);
        Assert.Contains(shared, l => l.Trim().StartsWith("VPP_API_KEY: ${VPP_API_KEY:?", StringComparison.Ordinal));
        var silos = Block("services", 0).Where(l => SiloService().IsMatch(l)).Select(l => l.Trim().TrimEnd(':')).ToList();
        Assert.Equal(["silo1", "silo2", "silo3"], silos);
        Assert.All(silos, silo =>
        {
            var block = Block(silo, 2);
            Assert.Contains(block, l => l.Trim() == "<<: *silo");
            Assert.Contains(block, l => l.Trim() == "<<: *silo-env");
            Assert.DoesNotContain(block, l => l.Contains("VPP_API_KEY", StringComparison.Ordinal)); // no silo overrides it
        });
    }

    [Fact]
    public void The_database_admits_every_silos_pool()
    {
        var maxConnections = int.Parse(MaxConnections().Match(string.Join('\n', Block("postgres", 2))).Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var poolSize = int.Parse(PoolSize().Match(string.Join('\n', Block("x-silo", 0))).Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(maxConnections >= (3 * poolSize) + 3 + 10, $"max_connections {maxConnections} < 3 silos × {poolSize} + reserved");
    }

    [GeneratedRegex(@"\$\{(?<name>[A-Z_]+)(?<op>:\?|\?|:-|-|:\+|\+)?[^}]*\}")]
    private static partial Regex Interpolation();

    [GeneratedRegex(@"^  silo\d+:\s*$")]
    private static partial Regex SiloService();

    [GeneratedRegex(@"max_connections=(?<n>\d+)")]
    private static partial Regex MaxConnections();

    [GeneratedRegex(@"Storage__Postgres__MaxPoolSize: ""(?<n>\d+)""")]
    private static partial Regex PoolSize();
}
