using Google.OrTools.LinearSolver;

namespace Vpp.Domain.Optimisation;

internal sealed partial class ScheduleModel
{
    /// <summary>One group's variables per slot, and its plan read back from the solution.</summary>
    private sealed class GroupVars(FleetGroup group, int slots)
    {
        public FleetGroup Group { get; } = group;

        public Variable[] Power { get; } = new Variable[slots];

        public Variable[]? Charge { get; } = group is BatteryGroup ? new Variable[slots] : null;

        public Variable[]? Discharge { get; } = group is BatteryGroup ? new Variable[slots] : null;

        public Variable[]? Stored { get; } = group is BatteryGroup ? new Variable[slots] : null;

        public Variable[]? UnitsOn { get; } = group is ChpGroup ? new Variable[slots] : null;

        /// <summary>A CHP group's units started per slot, where the program counts them (min up/down times, start costs, ramps).</summary>
        public Variable[]? Starts { get; set; }

        /// <summary>A CHP group's units stopped per slot, where the program counts them (min up/down times, ramps).</summary>
        public Variable[]? Stops { get; set; }

        /// <summary>Adds coefficient × the group's net power in slot t (discharge − charge for a battery).</summary>
        public void AddPower(Constraint constraint, int t, double coefficient)
        {
            if (Charge is not null && Discharge is not null)
            {
                constraint.SetCoefficient(Discharge[t], coefficient);
                constraint.SetCoefficient(Charge[t], -coefficient);
            }
            else
            {
                constraint.SetCoefficient(Power[t], coefficient);
            }
        }

        public GroupPlan Plan()
        {
            var slotsCount = Power.Length;
            if (Charge is not null && Discharge is not null)
            {
                return new GroupPlan(Group, new double[slotsCount], Values(Charge), Values(Discharge));
            }

            return new GroupPlan(Group, Values(Power), UnitsOn: UnitsOn?.Select(v => (int)Math.Round(v.SolutionValue())).ToArray());
        }

        private static double[] Values(Variable[] vars) => vars.Select(v => Clean(v.SolutionValue())).ToArray();

        private static double Clean(double value) => Math.Abs(value) < 1e-7 ? 0 : value;
    }
}
