using System.CommandLine;
using Spectre.Console;
using Vpp.Simulator.Cli;

namespace Vpp.Simulator;

/// <summary>
/// Entry point. A named class rather than top-level statements: the silo's Program is the global one, and the tests
/// reference both assemblies (WebApplicationFactory&lt;Program&gt; must stay unambiguous).
/// </summary>
internal static class SimulatorProgram
{
    /// <summary>
    /// Ctrl+C cancels the token System.CommandLine hands the action; the engine then ends the run, hands back assets it
    /// reported offline and summarises (within 15 s). System.CommandLine would kill the process 2 s after Ctrl+C by
    /// default, cutting that short, hence the longer grace.
    /// </summary>
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(20);

    public static Task<int> Main(string[] args) =>
        SimulatorCommand.Create(new SimulatorApp(AnsiConsole.Console, TimeProvider.System).RunAsync)
            .Parse(args)
            .InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = ShutdownGrace });
}
