using System.Diagnostics;
using System.Globalization;

namespace Vpp.Benchmarks;

/// <summary>
/// How much CPU this process and everything else on the machine used over an interval (Linux /proc/stat; elsewhere
/// "others" reads as 0). A shared 2-core machine makes this essential: a dispatch measured while another process
/// burns a core says more about that process than about the grains.
/// </summary>
public readonly struct CpuSnapshot
{
    private static readonly double TicksPerSecond = 100; // USER_HZ, 100 on every mainstream Linux build

    private readonly long _wallTicks;
    private readonly double _systemBusySeconds;
    private readonly double _ownSeconds;

    private CpuSnapshot(long wallTicks, double systemBusySeconds, double ownSeconds)
    {
        _wallTicks = wallTicks;
        _systemBusySeconds = systemBusySeconds;
        _ownSeconds = ownSeconds;
    }

    public static CpuSnapshot Now()
    {
        using var self = Process.GetCurrentProcess();
        return new CpuSnapshot(Stopwatch.GetTimestamp(), SystemBusySeconds(), self.TotalProcessorTime.TotalSeconds);
    }

    /// <summary>Average cores used by this process and by all other processes since <paramref name="start"/>.</summary>
    public static (double OwnCores, double OtherCores) Since(CpuSnapshot start)
    {
        var end = Now();
        var wall = Stopwatch.GetElapsedTime(start._wallTicks, end._wallTicks).TotalSeconds;
        if (wall <= 0)
        {
            return (0, 0);
        }

        var own = (end._ownSeconds - start._ownSeconds) / wall;
        var system = (end._systemBusySeconds - start._systemBusySeconds) / wall;
        return (own, Math.Max(0, system - own));
    }

    private static double SystemBusySeconds()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            var line = reader.ReadLine();
            if (line is null || !line.StartsWith("cpu ", StringComparison.Ordinal))
            {
                return 0;
            }

            // cpu user nice system idle iowait irq softirq steal guest guest_nice
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long Field(int i) => i < f.Length ? long.Parse(f[i], CultureInfo.InvariantCulture) : 0;
            var busy = Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8);
            return busy / TicksPerSecond;
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }
}

public static class MachineLoad
{
    /// <summary>
    /// Waits (bounded) until other processes use less than <paramref name="maxOtherCores"/> for a few seconds in a
    /// row, so a scenario does not start in the middle of someone else's build. Returns what it last saw.
    /// </summary>
    public static async Task<double> WaitForQuietAsync(TimeSpan budget, double maxOtherCores = 0.25)
    {
        var sw = Stopwatch.StartNew();
        var quietInARow = 0;
        var lastOthers = 0.0;
        var lastPrint = TimeSpan.Zero;
        while (sw.Elapsed < budget)
        {
            var start = CpuSnapshot.Now();
            await Task.Delay(1000);
            (_, lastOthers) = CpuSnapshot.Since(start);
            quietInARow = lastOthers < maxOtherCores ? quietInARow + 1 : 0;
            if (quietInARow >= 3)
            {
                return lastOthers;
            }

            if (sw.Elapsed - lastPrint >= TimeSpan.FromSeconds(10))
            {
                lastPrint = sw.Elapsed;
                Console.WriteLine($"  machine busy: other processes use {lastOthers:0.00} cores; waiting for quiet ({sw.Elapsed.TotalSeconds:0}/{budget.TotalSeconds:0} s)");
            }
        }

        Console.WriteLine($"  WARNING: machine still busy after {budget.TotalSeconds:0} s (other processes {lastOthers:0.00} cores); measuring anyway");
        return lastOthers;
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
