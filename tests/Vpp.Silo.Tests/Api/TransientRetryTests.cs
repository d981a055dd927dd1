using Orleans.Runtime;
using Vpp.Abstractions.Errors;
using Vpp.Silo.Api;

namespace Vpp.Silo.Tests.Api;

/// <summary>Which failures the API repeats (the grain's silo left) and which it passes on at once.</summary>
public sealed class TransientRetryTests
{
    [Fact]
    public async Task A_call_whose_silo_left_is_repeated_until_it_succeeds()
    {
        var attempts = 0;

        var result = await TransientRetry.RunAsync(() => ++attempts < 3
            ? Task.FromException<int>(new SiloUnavailableException("silo shutting down"))
            : Task.FromResult(42));

        Assert.Equal(42, result);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task A_client_mistake_is_not_repeated()
    {
        var attempts = 0;

        await Assert.ThrowsAsync<NotFoundException>(() => TransientRetry.RunAsync(() =>
        {
            attempts++;
            return Task.FromException(new NotFoundException("asset", "a-1"));
        }));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task A_silo_that_stays_unavailable_fails_after_four_attempts()
    {
        var attempts = 0;

        await Assert.ThrowsAsync<SiloUnavailableException>(() => TransientRetry.RunAsync(() =>
        {
            attempts++;
            return Task.FromException(new SiloUnavailableException("gone"));
        }));

        Assert.Equal(4, attempts);
    }
}
