using Vpp.Domain.Settlement;

namespace Vpp.Domain.Tests.Settlement;

public sealed class ActivationLedgerTests
{
    private static readonly DateTimeOffset Ten = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_activation_across_a_quarter_hour_is_split_exactly_at_the_boundary()
    {
        var ledger = new Dictionary<DateTimeOffset, double>();

        // 120 kW from 10:10 to 10:20: 10 minutes in the first slot, 5 in the second.
        ActivationLedger.Accrue(ledger, Ten.AddMinutes(10), Ten.AddMinutes(20), 120);

        Assert.Equal(10, ledger[Ten], 9);
        Assert.Equal(10, ledger[Ten.AddMinutes(15)], 9);
        Assert.Equal(2, ledger.Count);
    }

    [Fact]
    public void Activations_add_up_with_their_signs_and_empty_intervals_change_nothing()
    {
        var ledger = new Dictionary<DateTimeOffset, double>();

        ActivationLedger.Accrue(ledger, Ten, Ten.AddMinutes(6), 50);          // +5 kWh
        ActivationLedger.Accrue(ledger, Ten.AddMinutes(6), Ten.AddMinutes(9), -40); // −2 kWh
        ActivationLedger.Accrue(ledger, Ten.AddMinutes(9), Ten.AddMinutes(9), 1000);
        ActivationLedger.Accrue(ledger, Ten.AddMinutes(9), Ten.AddMinutes(8), 1000);

        Assert.Equal(3, Assert.Single(ledger).Value, 9);
    }

    [Fact]
    public void Pruning_forgets_only_slots_that_ended_before_the_cutoff()
    {
        var ledger = new Dictionary<DateTimeOffset, double>();
        ActivationLedger.Accrue(ledger, Ten, Ten.AddMinutes(45), 4);

        ActivationLedger.Prune(ledger, Ten.AddMinutes(20));

        Assert.Equal([Ten.AddMinutes(15), Ten.AddMinutes(30)], ledger.Keys.Order());
    }
}
