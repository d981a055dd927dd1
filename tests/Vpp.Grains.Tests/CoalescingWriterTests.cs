namespace Vpp.Grains.Tests;

public sealed class CoalescingWriterTests
{
    [Fact]
    public async Task A_write_that_completes_synchronously_does_not_block_later_writes()
    {
        var writes = 0;
        var writer = new CoalescingWriter(() =>
        {
            writes++;
            return Task.CompletedTask;
        });

        await writer.WriteAsync().WaitAsync(Eventually.DefaultBound);
        await writer.WriteAsync().WaitAsync(Eventually.DefaultBound);

        Assert.Equal(2, writes);
    }

    [Fact]
    public async Task Changes_during_a_write_share_one_following_write()
    {
        var writes = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writer = new CoalescingWriter(async () =>
        {
            writes++;
            if (writes == 1)
            {
                await gate.Task;
            }
        });

        var first = writer.WriteAsync();
        var second = writer.WriteAsync();
        var third = writer.WriteAsync();
        Assert.Same(second, third);
        Assert.False(second.IsCompleted);

        gate.SetResult();
        await Task.WhenAll(first, second, third).WaitAsync(Eventually.DefaultBound);

        Assert.Equal(2, writes);
    }

    [Fact]
    public async Task A_failed_write_fails_its_callers_and_the_next_write_still_runs()
    {
        var writes = 0;
        var writer = new CoalescingWriter(() =>
        {
            writes++;
            return writes == 1 ? Task.FromException(new InvalidOperationException("disk full")) : Task.CompletedTask;
        });

        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteAsync());
        await writer.WriteAsync().WaitAsync(Eventually.DefaultBound);

        Assert.Equal(2, writes);
    }
}
