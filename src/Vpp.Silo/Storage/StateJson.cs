using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json;
using Orleans.Serialization;

namespace Vpp.Silo.Storage;

/// <summary>
/// Grain state is stored as JSON (readable by an operator in the database), with two changes to Orleans' JSON defaults:
/// <list type="bullet">
/// <item>Every member is written. The defaults leave out every member equal to its CLR default and every null — and a
/// member left out is read back as the class's initial value, not as the default. <c>AssetStatus.Online</c> is the
/// enum's first value while a new asset starts <c>Offline</c>: an online asset came back offline after every
/// restart.</item>
/// <item>No reference tracking (<c>$id</c>/<c>$ref</c>). Our states are trees of values and immutable records with no
/// cycles, so tracking only costs: it hashed every object written, the largest single cost of registering an asset
/// (docs/benchmarks.md, "Where the time goes"). Rows written with <c>$id</c>/<c>$ref</c> still read back: the reader
/// resolves them whatever this setting.</item>
/// </list>
/// Fleet events are stored as flat rows of one shape for every kind (<see cref="FleetEventRowConverter"/>); aFRR steps
/// as rows under the type name they are stored with (<see cref="AfrrStepRowsConverter"/>).
/// </summary>
public static class StateJson
{
    public static IServiceCollection UseStateJson(this IServiceCollection services) =>
        services.Configure<OrleansJsonSerializerOptions>(options =>
        {
            options.JsonSerializerSettings.DefaultValueHandling = DefaultValueHandling.Include;
            options.JsonSerializerSettings.NullValueHandling = NullValueHandling.Include;
            options.JsonSerializerSettings.PreserveReferencesHandling = PreserveReferencesHandling.None;
            options.JsonSerializerSettings.Converters.Add(new FleetEventRowConverter());
            options.JsonSerializerSettings.Converters.Add(new AfrrStepRowsConverter());
        });
}
