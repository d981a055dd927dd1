using Orleans.Dashboard;
using Vpp.Silo.Api;
using Vpp.Silo.Demo;
using Vpp.Silo.Hosting;
using Vpp.Silo.Security;

var args2 = SiloConfiguration.ExpandFlags(args);
var builder = WebApplication.CreateBuilder(args2);
builder.Configuration.AddSiloConfig(builder.Environment.EnvironmentName);

builder.AddVppSilo();
builder.Services.AddDemoFleet(builder.Configuration);
builder.Services.AddProblemDetails();
builder.Services.ConfigureHttpJsonOptions(o => VppApi.Configure(o.SerializerOptions));
builder.AddVppApiSecurity();
builder.Services.AddVppApiDocumentation();
builder.Services.AddHealthChecks().AddCheck<SiloHealthCheck>("silo");
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseVppApiSecurity();
app.MapVppApi();
app.MapVppApiDocumentation();
app.MapDashboardSignIn();
app.MapOrleansDashboard("/dashboard").RequireDashboardAuthentication(app);
app.MapHealthChecks("/health");
app.MapGet("/", () => Results.Redirect("/dashboard")).ExcludeFromDescription();
app.Run();

/// <summary>Exposed so the API tests can host the real pipeline with WebApplicationFactory.</summary>
public partial class Program;
