namespace Vpp.Simulator.Scenarios;

/// <summary>A scenario file that cannot be used; <see cref="Problems"/> name each fault by its JSON path.</summary>
public sealed class ScenarioException(string source, IReadOnlyList<string> problems)
    : Exception($"scenario {source}: " + string.Join("; ", problems))
{
    public string ScenarioSource { get; } = source;

    public IReadOnlyList<string> Problems { get; } = problems;
}
