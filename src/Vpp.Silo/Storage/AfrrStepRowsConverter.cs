using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Vpp.Domain.GridServices;

namespace Vpp.Silo.Storage;

/// <summary>
/// Stores a fleet's aFRR steps (state <c>fleetGridServices</c>) as rows of one fixed shape: a list typed
/// <c>Vpp.Abstractions.GridServices.AfrrStep</c> whose items carry that <c>$type</c> and every field of
/// <see cref="AfrrStep"/>. The <c>$type</c> names are the stored format, not where the record lives in code: rows
/// stored under that name load into <see cref="AfrrStep"/>, and rows written now load wherever rows of that name do.
/// </summary>
public sealed class AfrrStepRowsConverter : JsonConverter<List<AfrrStep>>
{
    private const string RowType = "Vpp.Abstractions.GridServices.AfrrStep, Vpp.Abstractions";
    private const string ListType = "System.Collections.Generic.List`1[[" + RowType + "]], System.Private.CoreLib";

    public override void WriteJson(JsonWriter writer, List<AfrrStep>? value, JsonSerializer serializer)
    {
        if (value is null)
        {
            writer.WriteNull();
            return;
        }

        var rows = new JArray();
        foreach (var step in value)
        {
            var row = JObject.FromObject(step, serializer);
            row.Remove("$type");
            row.AddFirst(new JProperty("$type", RowType));
            rows.Add(row);
        }

        new JObject(new JProperty("$type", ListType), new JProperty("$values", rows)).WriteTo(writer);
    }

    public override List<AfrrStep>? ReadJson(
        JsonReader reader, Type objectType, List<AfrrStep>? existingValue, bool hasExistingValue, JsonSerializer serializer)
    {
        if (reader.TokenType == JsonToken.Null)
        {
            return null;
        }

        var json = StoredRows.Load(reader);
        var rows = json is JObject list ? list["$values"] as JArray ?? [] : (JArray)json;
        var steps = new List<AfrrStep>(rows.Count);
        foreach (var row in rows.Cast<JObject>())
        {
            row.Remove("$type");
            steps.Add(row.ToObject<AfrrStep>(serializer)!);
        }

        return steps;
    }
}
