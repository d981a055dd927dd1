namespace Vpp.Abstractions.GridServices;

/// <summary>aFRR capacity the fleet has sold (kW): positive aFRR up, negative aFRR down; flexibility and bids subtract it.</summary>
[GenerateSerializer, Immutable]
public sealed record AfrrCapacity([property: Id(0)] double UpKw, [property: Id(1)] double DownKw);
