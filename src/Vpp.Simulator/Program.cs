using Spectre.Console;
using Vpp.Simulator.Cli;

namespace Vpp.Simulator;

/// <summary>
/// Entry point. A named class rather than top-level statements: the silo's Program is the global one, and the tests
/// reference both assemblies (WebApplicationFactory&lt;Program&gt; must stay unambiguous).
/// </summary>
internal static class SimulatorProgram
{
    // Ctrl+C cancels the token System.CommandLine hands the action; the engine then ends the run cleanly and summarises.
    public static Task<int> Main(string[] args) =>
        SimulatorCommand.Create(new SimulatorApp(AnsiConsole.Console, TimeProvider.System).RunAsync).Parse(args).InvokeAsync();
}
