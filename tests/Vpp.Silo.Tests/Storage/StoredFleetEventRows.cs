namespace Vpp.Silo.Tests.Storage;

/// <summary>
/// Fleet events as the state <c>fleet</c> stores them (Orleans' Newtonsoft JSON with <c>$type</c>): one flat
/// <c>FleetEvent</c> object per event, every field written, null where a kind does not use it. The dispatch, status,
/// membership and reallocation rows were captured from a SQLite store; the reallocation's <c>PickedUpBy</c> entries and
/// the slice curtailment are written in the same shape. Whatever shape the events take in code, rows like these must
/// load.
/// </summary>
public static class StoredFleetEventRows
{
    public const long LastSequence = 5;

    public const string Events = """
        {"$type":"System.Collections.Generic.List`1[[Vpp.Abstractions.Fleets.FleetEvent, Vpp.Abstractions]], System.Private.CoreLib","$values":[
        {"$type":"Vpp.Abstractions.Fleets.FleetEvent, Vpp.Abstractions","Sequence":1,"At":"2026-11-25T12:00:00+00:00","Kind":"membership","Message":"1 asset(s) joined, 0 left","DispatchId":null,"AssetId":null,"Status":null,"TargetKw":null,"AllocatedKw":null,"ShortfallKw":null,"LostKw":null,"PickedUpKw":null,"AssetIds":{"$type":"System.String[], System.Private.CoreLib","$values":["bat0-eec04d59321e"]},"PickedUpBy":null,"TraderId":null,"VirtualBatteryIds":null},
        {"$type":"Vpp.Abstractions.Fleets.FleetEvent, Vpp.Abstractions","Sequence":2,"At":"2026-11-25T12:00:00+00:00","Kind":"assetStatus","Message":"Asset bat0-eec04d59321e offline \u2192 online: telemetry received","DispatchId":null,"AssetId":"bat0-eec04d59321e","Status":"online","TargetKw":null,"AllocatedKw":null,"ShortfallKw":null,"LostKw":null,"PickedUpKw":null,"AssetIds":null,"PickedUpBy":null,"TraderId":null,"VirtualBatteryIds":null},
        {"$type":"Vpp.Abstractions.Fleets.FleetEvent, Vpp.Abstractions","Sequence":3,"At":"2026-11-25T12:00:00+00:00","Kind":"dispatch","Message":"Dispatched 150 kW (meritOrder): 150 kW acknowledged","DispatchId":"fleet-stored-row-20261125120000000-46ff6cd6","AssetId":null,"Status":null,"TargetKw":150.0,"AllocatedKw":150.0,"ShortfallKw":0.0,"LostKw":null,"PickedUpKw":null,"AssetIds":null,"PickedUpBy":null,"TraderId":null,"VirtualBatteryIds":null},
        {"$type":"Vpp.Abstractions.Fleets.FleetEvent, Vpp.Abstractions","Sequence":4,"At":"2026-11-25T12:00:00+00:00","Kind":"reallocation","Message":"Re-dispatched 150 kW after 1 asset status change(s): lost 50 kW, picked up 50 kW, shortfall 0 kW","DispatchId":"fleet-stored-row-20261125120000000-b62df88b","AssetId":null,"Status":null,"TargetKw":150.0,"AllocatedKw":150.0,"ShortfallKw":0.0,"LostKw":50.0,"PickedUpKw":50.0,"AssetIds":{"$type":"System.String[], System.Private.CoreLib","$values":["bat2-ee7c16e27de0"]},"PickedUpBy":{"$type":"Vpp.Abstractions.Fleets.SetpointChange[], Vpp.Abstractions","$values":[{"$type":"Vpp.Abstractions.Fleets.SetpointChange, Vpp.Abstractions","AssetId":"bat0-eec04d59321e","ChangeKw":25.0},{"$type":"Vpp.Abstractions.Fleets.SetpointChange, Vpp.Abstractions","AssetId":"bat1-177d6660fc60","ChangeKw":25.0}]},"TraderId":null,"VirtualBatteryIds":null},
        {"$type":"Vpp.Abstractions.Fleets.FleetEvent, Vpp.Abstractions","Sequence":5,"At":"2026-11-25T12:15:00+00:00","Kind":"sliceCurtailment","Message":"Slices of trader-a curtailed to 80 % in 12:30-12:45","DispatchId":null,"AssetId":null,"Status":null,"TargetKw":null,"AllocatedKw":null,"ShortfallKw":null,"LostKw":null,"PickedUpKw":null,"AssetIds":null,"PickedUpBy":null,"TraderId":"trader-a","VirtualBatteryIds":{"$type":"System.String[], System.Private.CoreLib","$values":["vb-1","vb-2"]}}
        ]}
        """;
}
