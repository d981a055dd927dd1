using Orleans.Dashboard;
using Vpp.Silo.Api;
using Vpp.Silo.Audit;
using Vpp.Silo.Console;
using Vpp.Silo.Demo;
using Vpp.Silo.Health;
using Vpp.Silo.Metrics;
using Vpp.Silo.Hosting;
using Vpp.Silo.Security;

var expanded = SiloConfiguration.ExpandFlags(args);
var migrate = SiloCommands.IsMigrate(expanded);
// Settings come from silo-config/ and are read once. The host's default reload of appsettings.json watches the whole
// content root, and with it the SQLite file under data/: every page the writer wrote woke a file-watcher thread (7 % of
// the CPU of a bulk registration whose database sat under the content root).
var builder = WebApplication.CreateBuilder([.. migrate ? expanded[1..] : expanded, "--hostBuilder:reloadConfigOnChange=false"]);
builder.Configuration.AddSiloConfig(builder.Environment.EnvironmentName);

if (migrate)
{
    return await SiloCommands.MigrateAsync(builder.Configuration, Console.Out, Console.Error, CancellationToken.None);
}

if (await SiloCommands.StartupProblemAsync(builder.Configuration, CancellationToken.None) is { } problem)
{
    await Console.Error.WriteLineAsync($"Vpp.Silo cannot start: {problem.Message}");
    return problem.ExitCode;
}

var maxWorkerThreads = WorkerThreadLimit.Apply(builder.Configuration);
builder.AddVppSilo();
builder.Services.AddDemoFleet(builder.Configuration);
builder.Services.AddProblemDetails();
builder.Services.ConfigureHttpJsonOptions(o => VppApi.Configure(o.SerializerOptions));
builder.AddVppApiSecurity();
builder.AddVppHttpHardening();
builder.AddAuditTrail();
builder.AddVppMetrics();
builder.Services.AddVppApiDocumentation();
builder.Services.AddVppHealthChecks();
// Long enough for Kestrel to drain in-flight requests and Orleans to hand its grains over (docs/cluster.md, graceful shutdown).
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

var app = builder.Build();
if (maxWorkerThreads is { } max)
{
    app.Logger.LogInformation("Thread pool: at most {MaxWorkerThreads} worker threads on {Cores} cores ({Key})", max, Environment.ProcessorCount, WorkerThreadLimit.Key);
}

app.UseVppHttpHardening();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseOperatorConsole();
app.UseAuditTrail();
app.UseVppApiSecurity();
app.MapVppApi().MapAudit();
app.MapVppApiDocumentation();
app.MapDashboardSignIn();
app.MapOrleansDashboard("/dashboard").RequireDashboardAuthentication(app);
app.MapVppHealth();
app.MapVppMetrics();

try
{
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (ex is not OperationCanceledException && !app.Configuration.GetValue("Host:RethrowStartupErrors", false))
{
    // The logs hold the detail; the console gets the cause in one line. A host that embeds this program (the API
    // tests' WebApplicationFactory) sets Host:RethrowStartupErrors to receive the exception instead of an exit code.
    await Console.Error.WriteLineAsync($"Vpp.Silo stopped with an error: {ex.GetBaseException().Message}");
    return 1;
}

/// <summary>Exposed so the API tests can host the real pipeline with WebApplicationFactory.</summary>
public partial class Program;
