using System.Text.Json;
using System.Text.Json.Nodes;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.GridServices;
using Vpp.Silo.Api;

namespace Vpp.Silo.Tests.Api;

/// <summary>
/// The JSON of each fleet event kind as the API (<c>GET …/events</c>) and the event stream write it with the API's
/// options: camelCase, <c>kind</c> naming the kind, nulls left out. The expected texts were captured from the API's
/// serializer; clients parse them, so they stay as they are. Properties are compared by name, not by their order.
/// </summary>
public sealed class FleetEventJsonTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static readonly JsonSerializerOptions Json = Options();

    public static TheoryData<string, string> Cases() => new()
    {
        {
            "dispatch",
            """{"sequence":3,"at":"2026-11-25T12:00:00.000Z","kind":"dispatch","message":"Dispatched 150 kW (meritOrder): 140.5 kW acknowledged, shortfall 9.5 kW","dispatchId":"d-1","targetKw":150,"allocatedKw":140.5,"shortfallKw":9.5}"""
        },
        {
            "schedule",
            """{"sequence":4,"at":"2026-11-25T12:00:00.000Z","kind":"schedule","message":"Slot 12:00Z: target 80 kW","dispatchId":"d-2","targetKw":80}"""
        },
        {
            "reallocation",
            """{"sequence":5,"at":"2026-11-25T12:00:00.000Z","kind":"reallocation","message":"Re-dispatched 150 kW after 1 asset status change(s): lost 50 kW, picked up 50 kW, shortfall 0 kW","dispatchId":"d-3","targetKw":150,"allocatedKw":150,"shortfallKw":0,"lostKw":50,"pickedUpKw":50,"assetIds":["bat2"],"pickedUpBy":[{"assetId":"bat0","changeKw":25},{"assetId":"bat1","changeKw":25}]}"""
        },
        {
            "assetStatus offline",
            """{"sequence":6,"at":"2026-11-25T12:00:00.000Z","kind":"assetStatus","message":"Asset bat2 online → offline: no telemetry","assetId":"bat2","status":"offline","lostKw":50}"""
        },
        {
            "assetStatus online",
            """{"sequence":7,"at":"2026-11-25T12:00:00.000Z","kind":"assetStatus","message":"Asset bat2 offline → online","assetId":"bat2","status":"online"}"""
        },
        {
            "assetStatus burst",
            """{"sequence":8,"at":"2026-11-25T12:00:00.000Z","kind":"assetStatus","message":"2 assets changed status: 0 came online, 2 went offline or into maintenance","lostKw":75.5,"assetIds":["bat0","bat1"]}"""
        },
        {
            "membership",
            """{"sequence":9,"at":"2026-11-25T12:00:00.000Z","kind":"membership","message":"1 asset(s) joined, 0 left","assetIds":["bat0"]}"""
        },
        {
            "sliceCurtailment",
            """{"sequence":10,"at":"2026-11-25T12:00:00.000Z","kind":"sliceCurtailment","message":"Slot 2026-11-25 12:15Z: fleet short; trader trader-a: 100 kW asked, 80 kW given","status":"fleetCapacity","targetKw":100,"allocatedKw":80,"shortfallKw":20,"traderId":"trader-a","virtualBatteryIds":["vb-1","vb-2"]}"""
        },
        {
            "fcr",
            """{"sequence":11,"at":"2026-11-25T12:00:00.000Z","kind":"fcr","message":"FCR response 20 kW at 49.900 Hz (band ±100 kW)","targetKw":120,"allocatedKw":118,"shortfallKw":2}"""
        },
        {
            "frequency-stale",
            """{"sequence":12,"at":"2026-11-25T12:00:00.000Z","kind":"frequency-stale","message":"No frequency measurement since 2026-11-25T11:59:00.0000000+00:00 (more than 10 s): FCR response back to 0 kW until a fresh one arrives","allocatedKw":0,"shortfallKw":0}"""
        },
        {
            "fcr-shortfall",
            """{"sequence":13,"at":"2026-11-25T12:00:00.000Z","kind":"fcr-shortfall","message":"FCR band due ±100 kW, the online assets deliver ±60 kW: short by 40 kW","targetKw":0,"allocatedKw":0,"shortfallKw":0}"""
        },
        {
            "fcr-shortfall-ended",
            """{"sequence":14,"at":"2026-11-25T12:00:00.000Z","kind":"fcr-shortfall-ended","message":"FCR band due ±100 kW is covered again","targetKw":0,"allocatedKw":0,"shortfallKw":0}"""
        },
        {
            "fcr-alert",
            """{"sequence":15,"at":"2026-11-25T12:00:00.000Z","kind":"fcr-alert","message":"FCR batteries cannot hold their reserve upwards","targetKw":-30,"allocatedKw":-30,"shortfallKw":0}"""
        },
        {
            "resubscribed",
            """{"sequence":15,"at":"2026-11-25T12:00:00.000Z","kind":"resubscribed","message":"Subscribed again after the fleet was reactivated"}"""
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_event_kind_is_written_as_the_api_writes_it_today(string name, string expected)
    {
        var written = JsonSerializer.Serialize(Sample(name), Json);
        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(written)),
            $"{name}: expected {expected}, written {written}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_event_kind_reads_back_from_its_json(string name, string expected)
    {
        var read = JsonSerializer.Deserialize<FleetEvent>(expected, Json)!;
        Assert.Equal(Sample(name).GetType(), read.GetType());
        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(JsonSerializer.Serialize(read, Json))),
            $"{name} read back as {read}");
    }

    private static JsonSerializerOptions Options()
    {
        var options = new JsonSerializerOptions();
        VppApi.Configure(options);
        return options;
    }

    private static FleetEvent Sample(string name) => name switch
    {
        "dispatch" => new DispatchEvent(3, At, "Dispatched 150 kW (meritOrder): 140.5 kW acknowledged, shortfall 9.5 kW", "d-1", 150, 140.5, 9.5),
        "schedule" => new ScheduleEvent(4, At, "Slot 12:00Z: target 80 kW", "d-2", 80),
        "reallocation" => new ReallocationEvent(
            5, At, "Re-dispatched 150 kW after 1 asset status change(s): lost 50 kW, picked up 50 kW, shortfall 0 kW",
            "d-3", TargetKw: 150, AllocatedKw: 150, ShortfallKw: 0, LostKw: 50, PickedUpKw: 50, AssetIds: ["bat2"],
            PickedUpBy: [new SetpointChange("bat0", 25), new SetpointChange("bat1", 25)]),
        "assetStatus offline" => new AssetStatusEvent(6, At, "Asset bat2 online → offline: no telemetry", AssetId: "bat2", Status: "offline", LostKw: 50),
        "assetStatus online" => new AssetStatusEvent(7, At, "Asset bat2 offline → online", AssetId: "bat2", Status: "online"),
        "assetStatus burst" => new AssetStatusEvent(
            8, At, "2 assets changed status: 0 came online, 2 went offline or into maintenance", LostKw: 75.5, AssetIds: ["bat0", "bat1"]),
        "membership" => new MembershipEvent(9, At, "1 asset(s) joined, 0 left", ["bat0"]),
        "sliceCurtailment" => new SliceCurtailmentEvent(
            10, At, "Slot 2026-11-25 12:15Z: fleet short; trader trader-a: 100 kW asked, 80 kW given",
            Status: "fleetCapacity", TargetKw: 100, AllocatedKw: 80, ShortfallKw: 20, TraderId: "trader-a", VirtualBatteryIds: ["vb-1", "vb-2"]),
        "fcr" => new FcrEvent(11, At, "FCR response 20 kW at 49.900 Hz (band ±100 kW)", TargetKw: 120, AllocatedKw: 118, ShortfallKw: 2),
        "frequency-stale" => new FrequencyStaleEvent(
            12, At,
            "No frequency measurement since 2026-11-25T11:59:00.0000000+00:00 (more than 10 s): FCR response back to 0 kW until a fresh one arrives",
            TargetKw: null, AllocatedKw: 0, ShortfallKw: 0),
        "fcr-shortfall" => new FcrShortfallEvent(
            13, At, "FCR band due ±100 kW, the online assets deliver ±60 kW: short by 40 kW", TargetKw: 0, AllocatedKw: 0, ShortfallKw: 0),
        "fcr-shortfall-ended" => new FcrShortfallEndedEvent(14, At, "FCR band due ±100 kW is covered again", TargetKw: 0, AllocatedKw: 0, ShortfallKw: 0),
        "fcr-alert" => new FcrAlertEvent(15, At, "FCR batteries cannot hold their reserve upwards", TargetKw: -30, AllocatedKw: -30, ShortfallKw: 0),
        "resubscribed" => new ResubscribedEvent(15, At, "Subscribed again after the fleet was reactivated"),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
