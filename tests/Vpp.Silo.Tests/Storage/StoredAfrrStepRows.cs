namespace Vpp.Silo.Tests.Storage;

/// <summary>
/// aFRR steps as the state <c>fleetGridServices</c> stores them (Orleans' Newtonsoft JSON with <c>$type</c>): a list of
/// <c>AfrrStep</c> objects with every field written. Whatever shape or home the step takes in code, rows like these
/// must load.
/// </summary>
public static class StoredAfrrStepRows
{
    public static readonly DateTimeOffset From = new(2026, 11, 25, 12, 14, 58, TimeSpan.Zero);

    public const string Steps = """
        {"$type":"System.Collections.Generic.List`1[[Vpp.Abstractions.GridServices.AfrrStep, Vpp.Abstractions]], System.Private.CoreLib","$values":[
        {"$type":"Vpp.Abstractions.GridServices.AfrrStep, Vpp.Abstractions","From":"2026-11-25T12:14:58+00:00","To":"2026-11-25T12:15:00+00:00","RequestedKw":40.0,"DeliveredKw":20.0,"RequestedKwh":0.022222222222222223,"DeliveredKwh":0.005555555555555556,"DeliveredSource":"measured"},
        {"$type":"Vpp.Abstractions.GridServices.AfrrStep, Vpp.Abstractions","From":"2026-11-25T12:15:00+00:00","To":"2026-11-25T12:15:02+00:00","RequestedKw":40.0,"DeliveredKw":40.0,"RequestedKwh":0.022222222222222223,"DeliveredKwh":0.016666666666666666,"DeliveredSource":"allocated"}
        ]}
        """;
}
