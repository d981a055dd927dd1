namespace Vpp.Silo.Security;

/// <summary>
/// What an API key may do. Roles do not imply each other: a key gets exactly the roles it lists, so a gateway key
/// ("telemetry") cannot dispatch and a provisioning key ("admin") cannot read fleets unless it also lists "read".
/// Each role is also the name of the authorization policy that requires it.
/// </summary>
public static class ApiRoles
{
    /// <summary>Read assets, fleets and events; open the dashboard.</summary>
    public const string Read = "read";

    /// <summary>Send dispatch instructions to a fleet.</summary>
    public const string Dispatch = "dispatch";

    /// <summary>Report telemetry and status for assets (device gateways, the simulator).</summary>
    public const string Telemetry = "telemetry";

    /// <summary>Register, change and remove assets.</summary>
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Read, Dispatch, Telemetry, Admin];

    /// <summary>
    /// Reporting an asset's status: its gateway does (online/offline), and so does an operator who takes it out for
    /// maintenance and back — either role will do. A policy name of roles joined by '|' means "any of them".
    /// </summary>
    public const string StatusReporters = Telemetry + "|" + Admin;

    /// <summary>The roles a policy name stands for: one role, or several joined by '|' (any of them).</summary>
    public static string[] OfPolicy(string policy) => policy.Split('|');

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}
