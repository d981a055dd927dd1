using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Vpp.Silo.Kubernetes;
using Vpp.Silo.Tests.Api;
using static Vpp.Silo.Tests.Kubernetes.K8sManifests;

namespace Vpp.Silo.Tests.Kubernetes;

/// <summary>
/// deploy/k8s checked against the silo it deploys (no cluster here, and `kubectl apply --dry-run=client` needs one):
/// probes reach endpoints the real silo answers, ports match silo-config, every referenced secret key exists, the
/// grace period covers the silo's shutdown timeout, and the disruption budget and Service select the silo pods.
/// </summary>
[Collection(VppApiCollection.Name)]
public sealed class KubernetesManifestTests(VppApiFixture fixture)
{
    private readonly K8sManifests _manifests = Load();

    private Dictionary<object, object> Deployment => _manifests.Single("Deployment");

    private Dictionary<object, object> PodSpec => Map(Deployment, "spec.template.spec");

    private Dictionary<object, object> Silo => Assert.Single(Maps(PodSpec, "containers"));

    private Dictionary<string, string> PodLabels => Labels(Map(Deployment, "spec.template.metadata.labels"));

    [Fact]
    public async Task Probes_ask_the_health_endpoints_the_silo_answers_on_its_http_port()
    {
        var ports = Maps(Silo, "ports").ToDictionary(p => Text(p, "name"), p => Convert.ToInt32(p["containerPort"], CultureInfo.InvariantCulture));
        var probes = new[] { "readinessProbe", "livenessProbe", "startupProbe" }.ToDictionary(p => p, p => Map(Silo, $"{p}.httpGet"));
        Assert.Equal("/health/ready", Text(probes["readinessProbe"], "path"));
        Assert.Equal("/health/live", Text(probes["livenessProbe"], "path"));
        foreach (var (name, probe) in probes)
        {
            Assert.True(ports.ContainsKey(Text(probe, "port")), $"{name} names port '{Text(probe, "port")}' which the container does not declare");
            Assert.Equal("http", Text(probe, "port"));
            var response = await fixture.Client.GetAsync(Text(probe, "path"));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name} {Text(probe, "path")} answered {(int)response.StatusCode}");
        }

        var silo = SiloConfig();
        Assert.Equal(new Uri(silo["Urls"]!).Port, ports["http"]);
        Assert.Equal(new Uri(Env("ASPNETCORE_URLS").Replace("+", "localhost", StringComparison.Ordinal)).Port, ports["http"]);
        Assert.Equal(silo.GetValue<int>("Orleans:SiloPort"), ports["silo"]);
        Assert.Equal(silo.GetValue<int>("Orleans:GatewayPort"), ports["gateway"]);
        Assert.Equal(Env("Orleans__SiloPort"), ports["silo"].ToString(CultureInfo.InvariantCulture));
        Assert.Equal(Env("Orleans__GatewayPort"), ports["gateway"].ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Every_secret_the_pod_references_is_declared_with_that_key()
    {
        var secrets = _manifests.All("Secret").ToDictionary(
            s => Text(Map(s, "metadata"), "name"),
            s => Map(s, "stringData").Keys.Cast<string>().ToHashSet());
        var references = Maps(Silo, "env")
            .Where(e => e.ContainsKey("valueFrom") && Map(e, "valueFrom").ContainsKey("secretKeyRef"))
            .Select(e => Map(e, "valueFrom.secretKeyRef"))
            .Select(r => (Name: Text(r, "name"), Key: Text(r, "key")))
            .ToList();
        Assert.Contains(references, r => r.Name == "vpp-postgres");
        Assert.Contains(Maps(Silo, "env"), e => Text(e, "name") == "VPP_POSTGRES");
        Assert.Contains(Maps(Silo, "env"), e => Text(e, "name") == "VPP_API_KEY");
        foreach (var (name, key) in references)
        {
            Assert.True(secrets.TryGetValue(name, out var keys) && keys.Contains(key), $"secret {name} has no key '{key}'");
        }

        var volumes = Maps(PodSpec, "volumes").ToDictionary(v => Text(v, "name"));
        foreach (var mount in Maps(Silo, "volumeMounts"))
        {
            var volume = volumes[Text(mount, "name")];
            var secretName = Text(Map(volume, "secret"), "secretName");
            Assert.True(secrets.TryGetValue(secretName, out var keys), $"volume {Text(mount, "name")} mounts missing secret {secretName}");
            foreach (var env in Maps(Silo, "env").Where(e => TextOrNull(e, "value")?.StartsWith(Text(mount, "mountPath") + "/", StringComparison.Ordinal) == true))
            {
                var file = Path.GetFileName(Text(env, "value"));
                Assert.True(keys.Contains(file), $"{Text(env, "name")} points at {Text(env, "value")}, but secret {secretName} has no key '{file}'");
            }
        }
    }

    [Fact]
    public void Grace_period_covers_the_pre_stop_pause_and_the_silos_shutdown_timeout()
    {
        var shutdown = fixture.Factory.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout;
        var grace = TimeSpan.FromSeconds(Convert.ToInt32(PodSpec["terminationGracePeriodSeconds"], CultureInfo.InvariantCulture));
        var preStop = TimeSpan.FromSeconds(Convert.ToInt32(Map(Silo, "lifecycle.preStop.sleep")["seconds"], CultureInfo.InvariantCulture));

        Assert.True(grace >= preStop + shutdown, $"grace {grace} < preStop {preStop} + shutdown timeout {shutdown}");
    }

    [Fact]
    public void Disruption_budget_and_service_select_the_silo_pods_and_the_service_exposes_http_only()
    {
        var selector = Labels(Map(Deployment, "spec.selector.matchLabels"));
        Assert.All(selector, l => Assert.Equal(l.Value, PodLabels.GetValueOrDefault(l.Key)));

        var budget = _manifests.Single("PodDisruptionBudget");
        var budgetSelector = Labels(Map(budget, "spec.selector.matchLabels"));
        Assert.NotEmpty(budgetSelector);
        Assert.All(budgetSelector, l => Assert.Equal(l.Value, PodLabels.GetValueOrDefault(l.Key)));
        Assert.True(Convert.ToInt32(Map(Deployment, "spec")["replicas"], CultureInfo.InvariantCulture) > Convert.ToInt32(Map(budget, "spec")["maxUnavailable"], CultureInfo.InvariantCulture));

        var service = _manifests.Single("Service");
        var serviceSelector = Labels(Map(service, "spec.selector"));
        Assert.All(serviceSelector, l => Assert.Equal(l.Value, PodLabels.GetValueOrDefault(l.Key)));
        Assert.Equal("ClusterIP", Text(Map(service, "spec"), "type"));
        var targets = Maps(Map(service, "spec"), "ports").Select(p => p["targetPort"].ToString()).ToList();
        Assert.Equal(["http"], targets);
    }

    [Fact]
    public void Silo_pods_spread_one_per_node_and_across_zones_selecting_their_own_labels()
    {
        var spread = Maps(PodSpec, "topologySpreadConstraints").ToDictionary(c => Text(c, "topologyKey"));
        var perNode = spread["kubernetes.io/hostname"];
        Assert.Equal("DoNotSchedule", Text(perNode, "whenUnsatisfiable"));
        Assert.Equal(1, Convert.ToInt32(perNode["maxSkew"], CultureInfo.InvariantCulture));
        Assert.Equal("ScheduleAnyway", Text(spread["topology.kubernetes.io/zone"], "whenUnsatisfiable"));
        foreach (var constraint in spread.Values)
        {
            var selector = Labels(Map(constraint, "labelSelector.matchLabels"));
            Assert.NotEmpty(selector);
            Assert.All(selector, l => Assert.Equal(l.Value, PodLabels.GetValueOrDefault(l.Key)));
        }
    }

    [Fact]
    public void Silo_pods_carry_the_orleans_labels_run_the_postgres_profile_and_may_watch_and_delete_pods()
    {
        Assert.True(PodLabels.ContainsKey("orleans/serviceId"));
        Assert.True(PodLabels.ContainsKey("orleans/clusterId"));
        Assert.Equal("Postgres", Env("ASPNETCORE_ENVIRONMENT"));
        Assert.Equal("true", Env("Orleans__Kubernetes__Enabled"));
        foreach (var variable in new[] { "POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID" })
        {
            Assert.Contains(Maps(Silo, "env"), e => Text(e, "name") == variable);
        }

        var account = Text(PodSpec, "serviceAccountName");
        var binding = _manifests.Single("RoleBinding");
        Assert.Contains(Maps(binding, "subjects"), s => Text(s, "kind") == "ServiceAccount" && Text(s, "name") == account);
        var role = _manifests.All("Role").Single(r => Text(Map(r, "metadata"), "name") == Text(Map(binding, "roleRef"), "name"));
        var podRule = Assert.Single(Maps(role, "rules"), r => List(r, "resources").Contains("pods"));
        Assert.Equal(["delete", "get", "list", "watch"], List(podRule, "verbs").Cast<string>().Order());
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData(null, "10.0.0.1", true)]
    [InlineData("false", "10.0.0.1", false)]
    [InlineData("true", null, true)]
    public void Kubernetes_hosting_is_on_in_a_pod_unless_configuration_says_otherwise(string? enabled, string? serviceHost, bool expected)
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(enabled is null ? [] : [new(KubernetesHosting.EnabledKey, enabled)])
            .Build();

        Assert.Equal(expected, KubernetesHosting.IsEnabled(config, serviceHost));
    }

    private string Env(string name) =>
        Text(Assert.Single(Maps(Silo, "env"), e => Text(e, "name") == name), "value");

    private static IConfiguration SiloConfig() =>
        new ConfigurationBuilder().AddJsonFile(Path.Combine(RepositoryRoot.Path, "silo-config", "appsettings.json")).Build();
}
