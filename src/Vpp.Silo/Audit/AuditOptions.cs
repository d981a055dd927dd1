namespace Vpp.Silo.Audit;

/// <summary>Configuration section "Audit".</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Audit";

    /// <summary>Entries older than this many days are deleted by a periodic sweep.</summary>
    public int RetentionDays { get; set; } = 365;

    /// <summary>How often the retention sweep runs.</summary>
    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Bytes of each request body kept; a longer body is cut and marked truncated.</summary>
    public int MaxBodyBytes { get; set; } = 4096;

    /// <summary>Entries waiting for the background writer; beyond it new entries are dropped and counted in the log.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Entries written per database transaction.</summary>
    public int BatchSize { get; set; } = 256;
}
