using Microsoft.Extensions.Configuration;
using Vpp.Silo.Hosting;
using Vpp.Silo.Tests.Security;

namespace Vpp.Silo.Tests.Hosting;

public sealed class WorkerThreadLimitTests
{
    [Theory]
    [InlineData(2, 2, 2, 4)]
    [InlineData(1, 8, 8, 8)]
    [InlineData(2, 4, 12, 12)] // never under the pool's minimum, which refuses a lower maximum
    [InlineData(4, 1, 1, 4)]
    public void The_cap_is_the_configured_workers_per_core(int perCore, int cores, int minWorkers, int expected) =>
        Assert.Equal(expected, WorkerThreadLimit.For(perCore, cores, minWorkers));

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    public void Unset_or_zero_leaves_the_runtimes_own_limit(int? perCore) =>
        Assert.Null(WorkerThreadLimit.For(perCore, 2, 2));

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1.5")]
    public void A_value_that_is_not_a_whole_number_from_zero_up_is_a_problem_naming_the_key(string value)
    {
        var problem = WorkerThreadLimit.Problem(Settings(value));

        Assert.NotNull(problem);
        Assert.Contains(WorkerThreadLimit.Key, problem);
        Assert.Contains($"'{value}'", problem);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("0")]
    [InlineData("2")]
    public void Unset_zero_and_whole_numbers_are_accepted(string? value) =>
        Assert.Null(WorkerThreadLimit.Problem(Settings(value)));

    [Fact]
    public async Task A_silo_process_caps_its_thread_pool_at_the_shipped_two_workers_per_core()
    {
        await using var silo = await SiloProcessKeyTests.StartAsync("worker-threads", new Dictionary<string, string?>());

        var cores = Environment.ProcessorCount; // the child process runs on the same machine and limits
        Assert.Contains(
            silo.Output,
            l => l.Contains($"Thread pool: at most {2 * cores} worker threads on {cores} cores", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_silo_process_with_a_bad_cap_exits_2_naming_the_setting()
    {
        await using var silo = SiloProcess.Start(SiloProcessKeyTests.Options(
            "worker-threads-bad", new Dictionary<string, string?> { ["Runtime__MaxWorkerThreadsPerCore"] = "many" }));

        Assert.True(await silo.WaitForExitAsync(TimeSpan.FromSeconds(90)), $"the silo kept running; log: {silo.LogPath}");
        Assert.Equal(2, silo.ExitCode);
        Assert.Contains("Runtime:MaxWorkerThreadsPerCore", silo.Tail());
        Assert.Contains("'many'", silo.Tail());
    }

    private static IConfiguration Settings(string? value) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [WorkerThreadLimit.Key] = value }).Build();
}
