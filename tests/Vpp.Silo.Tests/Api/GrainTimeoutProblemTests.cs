using Microsoft.AspNetCore.Http.HttpResults;
using Vpp.Silo.Api;

namespace Vpp.Silo.Tests.Api;

/// <summary>A grain call that outlives the silo's response timeout is the server's delay, not a client mistake or a crash.</summary>
public sealed class GrainTimeoutProblemTests
{
    [Fact]
    public void A_grain_that_did_not_answer_in_time_is_a_504_problem_that_says_to_read_before_repeating()
    {
        var result = Assert.IsType<ProblemHttpResult>(ApiProblems.FromException(new TimeoutException("Response did not arrive on time in 00:00:30")));

        Assert.Equal(504, result.StatusCode);
        Assert.Contains("read the state before repeating", result.ProblemDetails.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_timeout_wrapped_by_a_failed_activation_is_the_same_problem()
    {
        var result = Assert.IsType<ProblemHttpResult>(ApiProblems.FromException(new InvalidOperationException("activation", new TimeoutException())));

        Assert.Equal(504, result.StatusCode);
    }

    [Fact]
    public void An_activation_orleans_cancelled_is_a_503_problem_to_retry_after_reading()
    {
        var result = Assert.IsType<ProblemHttpResult>(ApiProblems.FromException(new TaskCanceledException("A task was canceled.")));

        Assert.Equal(503, result.StatusCode);
        Assert.Contains("read the state before repeating", result.ProblemDetails.Detail, StringComparison.Ordinal);
        Assert.Equal(5L, result.ProblemDetails.Extensions["retryAfterSeconds"]);
    }
}
