using YamlDotNet.Serialization;

namespace Vpp.Silo.Tests.Metrics;

/// <summary>
/// deploy/prometheus/vpp-alerts.yml is a Prometheus rule file an operator can load as it is: groups of named rules,
/// each with an expression, a severity and a summary. That every series it queries is served is checked against a
/// real /metrics in <see cref="MetricsEndpointTests"/>.
/// </summary>
public sealed class AlertRulesTests
{
    private static readonly string[] Severities = ["info", "warning", "critical"];

    [Fact]
    public void Every_alert_has_a_unique_name_an_expression_a_severity_and_a_summary()
    {
        var rules = Rules();

        Assert.NotEmpty(rules);
        Assert.Equal(rules.Count, rules.Select(r => (string)r["alert"]).Distinct(StringComparer.Ordinal).Count());
        Assert.All(rules, rule =>
        {
            var name = (string)rule["alert"];
            Assert.Matches("^Vpp[A-Z][A-Za-z]+$", name);
            Assert.False(string.IsNullOrWhiteSpace((string)rule["expr"]), $"{name} has no expression");
            Assert.Contains((string)((Dictionary<object, object>)rule["labels"])["severity"], Severities);
            Assert.False(string.IsNullOrWhiteSpace((string)((Dictionary<object, object>)rule["annotations"])["summary"]), $"{name} has no summary");
            if (rule.TryGetValue("for", out var pending))
            {
                Assert.Matches("^[0-9]+[smh]$", (string)pending);
            }
        });
    }

    [Fact]
    public void The_rules_watch_dispatch_fleets_fcr_stalls_and_storage()
    {
        var expressions = string.Join('\n', Rules().Select(r => (string)r["expr"]));

        Assert.All(
            ["vpp_dispatch_unacknowledged_total", "vpp_dispatch_duration_seconds_bucket", "vpp_fleet_assets", "vpp_fcr_frequency_age_seconds",
             "vpp_runtime_stall_seconds_bucket", "vpp_storage_write_duration_seconds_bucket"],
            series => Assert.Contains(series, expressions, StringComparison.Ordinal));
    }

    public static string RulesPath => Path.Combine(RepositoryRoot.Path, "deploy", "prometheus", "vpp-alerts.yml");

    private static List<Dictionary<object, object>> Rules()
    {
        var file = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(File.ReadAllText(RulesPath));
        return
        [
            .. ((List<object>)file["groups"]).Cast<Dictionary<object, object>>()
                .SelectMany(g => ((List<object>)g["rules"]).Cast<Dictionary<object, object>>()),
        ];
    }
}
