
namespace Vpp.Grains.Fleets;

/// <summary>The console's asset table: members filtered and ordered where their reports already are.</summary>
public sealed partial class FleetPartitionGrain : IFleetMembersGrain
{
    public Task<MemberSlice> QueryMembersAsync(MemberQuery query) =>
        Task.FromResult(query.Apply(_members.Values.Select(m => new MemberRow(
            m.AssetId, m.Report.Kind, m.Report.Status, m.Report.SetpointKw, m.Report.Capability.MinKw, m.Report.Capability.MaxKw,
            m.Report.MeasuredKw))));
}
