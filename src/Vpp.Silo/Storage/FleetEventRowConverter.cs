using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.GridServices;

namespace Vpp.Silo.Storage;

/// <summary>
/// Stores fleet events (state <c>fleet</c>) as flat rows: one object per event with <c>$type</c>
/// <c>Vpp.Abstractions.Fleets.FleetEvent</c>, its <c>Kind</c> and every field any kind has, null where its kind does
/// not use it. In code each kind is a record of its own; the row keeps one shape for all of them, so stored rows load
/// whatever records the code has, and a row written now loads wherever a row of that shape does. A row is read by its
/// <c>Kind</c> into the record of that kind.
/// </summary>
public sealed class FleetEventRowConverter : JsonConverter
{
    private const string RowType = "Vpp.Abstractions.Fleets.FleetEvent, Vpp.Abstractions";

    public override bool CanConvert(Type objectType) => typeof(FleetEvent).IsAssignableFrom(objectType);

    public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer)
    {
        if (value is null)
        {
            writer.WriteNull();
            return;
        }

        var row = JObject.FromObject(Row.From((FleetEvent)value), serializer);
        row.Remove("$type");
        row.AddFirst(new JProperty("$type", RowType));
        row.WriteTo(writer);
    }

    public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer)
    {
        if (reader.TokenType == JsonToken.Null)
        {
            return null;
        }

        var json = (JObject)StoredRows.Load(reader); // "At" keeps the offset it was written with
        json.Remove("$type");
        return json.ToObject<Row>(serializer)!.ToEvent();
    }

    /// <summary>The stored shape: every field of every kind, in the order rows have them.</summary>
    private sealed class Row
    {
        public long Sequence { get; set; }
        public DateTimeOffset At { get; set; }
        public string Kind { get; set; } = "";
        public string Message { get; set; } = "";
        public string? DispatchId { get; set; }
        public string? AssetId { get; set; }
        public string? Status { get; set; }
        public double? TargetKw { get; set; }
        public double? AllocatedKw { get; set; }
        public double? ShortfallKw { get; set; }
        public double? LostKw { get; set; }
        public double? PickedUpKw { get; set; }
        public string[]? AssetIds { get; set; }
        public SetpointChange[]? PickedUpBy { get; set; }
        public string? TraderId { get; set; }
        public string[]? VirtualBatteryIds { get; set; }

        public static Row From(FleetEvent e)
        {
            var row = new Row { Sequence = e.Sequence, At = e.At, Kind = e.Kind, Message = e.Message };
            switch (e)
            {
                case DispatchEvent d:
                    (row.DispatchId, row.TargetKw, row.AllocatedKw, row.ShortfallKw) = (d.DispatchId, d.TargetKw, d.AllocatedKw, d.ShortfallKw);
                    break;
                case ScheduleEvent s:
                    (row.DispatchId, row.TargetKw) = (s.DispatchId, s.TargetKw);
                    break;
                case ReallocationEvent r:
                    (row.DispatchId, row.TargetKw, row.AllocatedKw, row.ShortfallKw) = (r.DispatchId, r.TargetKw, r.AllocatedKw, r.ShortfallKw);
                    (row.LostKw, row.PickedUpKw, row.AssetIds, row.PickedUpBy) = (r.LostKw, r.PickedUpKw, r.AssetIds, r.PickedUpBy);
                    break;
                case AssetStatusEvent a:
                    (row.AssetId, row.Status, row.LostKw, row.AssetIds) = (a.AssetId, a.Status, a.LostKw, a.AssetIds);
                    break;
                case MembershipEvent m:
                    row.AssetIds = m.AssetIds;
                    break;
                case SliceCurtailmentEvent c:
                    (row.Status, row.TargetKw, row.AllocatedKw, row.ShortfallKw) = (c.Status, c.TargetKw, c.AllocatedKw, c.ShortfallKw);
                    (row.TraderId, row.VirtualBatteryIds) = (c.TraderId, c.VirtualBatteryIds);
                    break;
                case GridServiceEvent g:
                    (row.TargetKw, row.AllocatedKw, row.ShortfallKw) = (g.TargetKw, g.AllocatedKw, g.ShortfallKw);
                    break;
            }

            return row;
        }

        public FleetEvent ToEvent() => Kind switch
        {
            FleetEventKinds.Dispatch => new DispatchEvent(Sequence, At, Message, DispatchId ?? "", TargetKw ?? 0, AllocatedKw ?? 0, ShortfallKw ?? 0),
            FleetEventKinds.Schedule => new ScheduleEvent(Sequence, At, Message, DispatchId, TargetKw ?? 0),
            FleetEventKinds.Reallocation => new ReallocationEvent(
                Sequence, At, Message, DispatchId ?? "", TargetKw ?? 0, AllocatedKw ?? 0, ShortfallKw ?? 0, LostKw ?? 0, PickedUpKw ?? 0,
                AssetIds ?? [], PickedUpBy),
            FleetEventKinds.AssetStatus => new AssetStatusEvent(Sequence, At, Message, AssetId, Status, LostKw, AssetIds),
            FleetEventKinds.Membership => new MembershipEvent(Sequence, At, Message, AssetIds ?? []),
            FleetEventKinds.SliceCurtailment => new SliceCurtailmentEvent(
                Sequence, At, Message, Status ?? "", TargetKw ?? 0, AllocatedKw ?? 0, ShortfallKw ?? 0, TraderId ?? "", VirtualBatteryIds ?? []),
            FleetEventKinds.Resubscribed => new ResubscribedEvent(Sequence, At, Message),
            GridServiceEventKinds.Fcr => new FcrEvent(Sequence, At, Message, TargetKw, AllocatedKw ?? 0, ShortfallKw ?? 0),
            GridServiceEventKinds.FrequencyStale => new FrequencyStaleEvent(Sequence, At, Message, TargetKw, AllocatedKw ?? 0, ShortfallKw ?? 0),
            GridServiceEventKinds.FcrShortfall => new FcrShortfallEvent(Sequence, At, Message, TargetKw, AllocatedKw ?? 0, ShortfallKw ?? 0),
            GridServiceEventKinds.FcrShortfallEnded => new FcrShortfallEndedEvent(Sequence, At, Message, TargetKw, AllocatedKw ?? 0, ShortfallKw ?? 0),
            GridServiceEventKinds.FcrAlert => new FcrAlertEvent(Sequence, At, Message, TargetKw, AllocatedKw ?? 0, ShortfallKw ?? 0),
            _ => throw new JsonSerializationException($"Stored fleet event {Sequence} has the unknown kind '{Kind}'."),
        };
    }
}
