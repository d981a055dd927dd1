using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Vpp.Silo.Storage;

/// <summary>Reading stored rows as JSON trees for the row converters.</summary>
internal static class StoredRows
{
    /// <summary>The JSON at <paramref name="reader"/>, timestamps kept with the offset they were written with.</summary>
    public static JToken Load(JsonReader reader)
    {
        var dates = reader.DateParseHandling;
        reader.DateParseHandling = DateParseHandling.DateTimeOffset;
        try
        {
            return JToken.Load(reader);
        }
        finally
        {
            reader.DateParseHandling = dates;
        }
    }
}
