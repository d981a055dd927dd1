using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Grains.Fleets;
using Vpp.Testing;
using Vpp.Grains.Contracts;

namespace Vpp.Grains.Tests.Fleets;

/// <summary>How a partition's reports reach its fleet: one in flight, bursts coalesced, no change lost to a failed report.</summary>
public sealed class PartitionReporterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private static PartitionSummary Summary(StatusChange[] statusChanges, MembershipChange[] membershipChanges) =>
        new("f~p000", 1, 1, [], 0, statusChanges, membershipChanges, 0);

    private static StatusChange Offline(string assetId) => new(assetId, AssetStatus.Online, AssetStatus.Offline, null, T0, 10);

    [Fact]
    public async Task Changes_that_arrive_while_a_report_is_in_flight_go_up_together_in_the_next_one()
    {
        var sent = new List<PartitionSummary>();
        var firstSend = new TaskCompletionSource();
        var reporter = new PartitionReporter(
            Summary,
            summary =>
            {
                sent.Add(summary);
                return sent.Count == 1 ? firstSend.Task : Task.CompletedTask;
            },
            (_, error) => throw new Xunit.Sdk.XunitException($"no report should fail: {error.Message}"));

        reporter.StatusChanged(Offline("a"));
        reporter.StatusChanged(Offline("b")); // the first report is in flight
        reporter.MembershipChanged(new MembershipChange("c", true, T0, 0));
        var reported = reporter.ReportedAsync();
        firstSend.SetResult();
        await reported;

        Assert.Equal(2, sent.Count);
        Assert.Equal(["a"], sent[0].StatusChanges.Select(c => c.AssetId));
        Assert.Equal(["b"], sent[1].StatusChanges.Select(c => c.AssetId));
        Assert.Equal(["c"], sent[1].MembershipChanges.Select(c => c.AssetId));
    }

    [Fact]
    public async Task A_failed_report_hands_its_changes_to_the_next_attempt()
    {
        var sent = new List<PartitionSummary>();
        var failures = new List<int>();
        var reporter = new PartitionReporter(
            Summary,
            summary =>
            {
                sent.Add(summary);
                return sent.Count == 1 ? Task.FromException(new TimeoutException("fleet busy")) : Task.CompletedTask;
            },
            (attempt, _) => failures.Add(attempt));

        reporter.StatusChanged(Offline("a"));
        await reporter.ReportedAsync();

        Assert.Equal([1], failures);
        Assert.Equal(["a"], sent[^1].StatusChanges.Select(c => c.AssetId));
    }

    [Fact]
    public async Task After_giving_up_the_waiters_learn_it_and_the_changes_go_up_with_the_next_change()
    {
        var sent = new List<PartitionSummary>();
        var fleetDown = true;
        var reporter = new PartitionReporter(
            Summary,
            summary =>
            {
                sent.Add(summary);
                return fleetDown ? Task.FromException(new TimeoutException("fleet down")) : Task.CompletedTask;
            },
            (_, _) => { },
            maxRetries: 1);

        reporter.StatusChanged(Offline("a"));
        await Assert.ThrowsAsync<TimeoutException>(() => reporter.ReportedAsync());
        fleetDown = false;
        reporter.StatusChanged(Offline("b"));

        // Outside a grain the loop's last step can still be finishing on another thread: nudging it again is what the
        // partition's next change would do.
        await Eventually.Until(
            () =>
            {
                reporter.Changed();
                return Task.FromResult(sent.Count);
            },
            count => count >= 3, "the report after the next change");

        Assert.Equal(2, sent.Count(s => s.StatusChanges.Length == 1)); // the first attempt and the one retry, then it gave up
        Assert.Contains(sent, s => s.StatusChanges.Select(c => c.AssetId).SequenceEqual(["a", "b"]));
    }
}
