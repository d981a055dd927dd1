using Orleans.Dashboard;
using Vpp.Silo.Api;
using Vpp.Silo.Demo;
using Vpp.Silo.Hosting;

var args2 = SiloConfiguration.ExpandFlags(args);
var builder = WebApplication.CreateBuilder(args2);
builder.Configuration.AddSiloConfig(builder.Environment.EnvironmentName);

builder.AddVppSilo();
builder.Services.AddDemoFleet(builder.Configuration);
builder.Services.AddProblemDetails();
builder.Services.ConfigureHttpJsonOptions(o => VppApi.Configure(o.SerializerOptions));
builder.Services.AddHealthChecks().AddCheck<SiloHealthCheck>("silo");
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapVppApi();
app.MapOrleansDashboard("/dashboard");
app.MapHealthChecks("/health");
app.MapGet("/", () => Results.Redirect("/dashboard")).ExcludeFromDescription();
app.Run();

/// <summary>Exposed so the API tests can host the real pipeline with WebApplicationFactory.</summary>
public partial class Program;
