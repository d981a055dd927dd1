namespace Vpp.Testing;

/// <summary>Fresh ids, so tests sharing a cluster, a silo or a database never see each other's grains or rows.</summary>
public static class TestIds
{
    /// <summary>The prefix, a dash and 12 hex digits: never all digits (Orleans would read a key as a number), at most 64 characters.</summary>
    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 64)];
}
