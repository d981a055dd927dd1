using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json;
using Orleans.Serialization;

namespace Vpp.Silo.Storage;

/// <summary>
/// Grain state is stored as JSON (readable by an operator in the database). Orleans' JSON defaults leave out every
/// member equal to its CLR default and every null — and a member left out is read back as the class's initial
/// value, not as the default. <c>AssetStatus.Online</c> is the enum's first value while a new asset starts
/// <c>Offline</c>: an online asset came back offline after every restart. Write every member.
/// </summary>
public static class StateJson
{
    public static IServiceCollection WriteEveryMember(this IServiceCollection services) =>
        services.Configure<OrleansJsonSerializerOptions>(options =>
        {
            options.JsonSerializerSettings.DefaultValueHandling = DefaultValueHandling.Include;
            options.JsonSerializerSettings.NullValueHandling = NullValueHandling.Include;
        });
}
