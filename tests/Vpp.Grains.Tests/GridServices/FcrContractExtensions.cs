using Vpp.Abstractions.GridServices;

namespace Vpp.Grains.Tests.GridServices;

/// <summary>A standing FCR award (<see cref="TestFcrAwards"/>) for tests about the response rather than the periods.</summary>
public static class FcrContractExtensions
{
    /// <summary>±<paramref name="contractedKw"/> over the fake clock's month; 0 withdraws every award.</summary>
    public static Task<FcrView> SetFcrContractAsync(this IFleetGridServicesGrain services, double contractedKw, TimeProvider clock)
    {
        if (contractedKw == 0)
        {
            return services.EndFcrContractsAsync();
        }

        var (from, to) = TestFcrAwards.Period(clock.GetUtcNow());
        return services.SetFcrContractAsync(new FcrAwardInput(contractedKw, From: from, To: to));
    }
}
