using Orleans.Runtime;
using Vpp.Abstractions.Errors;
using Vpp.Domain.Assets;

namespace Vpp.Client.Errors;

/// <summary>Turns what the grains and the Orleans client throw into the SDK's typed exceptions.</summary>
internal static class ErrorTranslation
{
    public static async Task<T> CallAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            // Cancellation stops the wait; a call already sent may still complete on the silo.
            return await call().WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    public static Task CallAsync(Func<Task> call, CancellationToken cancellationToken) =>
        CallAsync(async () =>
        {
            await call();
            return true;
        }, cancellationToken);

    public static Exception? Translate(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        VppException => null,
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,
        InvalidInputException invalid => new VppValidationException(invalid.Problems, invalid),
        NotFoundException missing => new VppNotFoundException(missing.Entity, missing.Id, missing),
        ConflictException conflict => new VppConflictException(conflict.Field, conflict.Message, conflict),
        CallRefusedException refused => new VppAccessDeniedException(refused.Message, refused),
        Abstractions.VirtualBatteries.SliceOverbookedException overbooked =>
            new VppOverbookedException(overbooked.Field, overbooked.FreePowerKw, overbooked.FreeEnergyKwh, overbooked.Message, overbooked),
        Abstractions.VirtualBatteries.UndeliverableException undeliverable =>
            new VppUndeliverableException(undeliverable.Reason, undeliverable.Field, undeliverable.Problem, undeliverable),
        InfeasibleScheduleException infeasible => new VppInfeasibleException(infeasible.Constraint, infeasible.SlotStart, infeasible.Message, infeasible),
        OptimisationTimedOutException timedOut => new VppUnavailableException(timedOut.Message, timedOut),
        TimeoutException => new VppUnavailableException($"the VPP cluster did not answer in time: {ex.Message}", ex),
        OrleansException or System.Net.Sockets.SocketException
            => new VppUnavailableException($"the VPP cluster is unavailable: {ex.Message}", ex),
        _ => null,
    };

    /// <summary>Refuses a malformed id before any grain is addressed (an all-digit key would address another grain).</summary>
    public static void CheckId(string field, string? id)
    {
        if (EntityId.Problem(id) is { } problem)
        {
            throw new VppValidationException([new FieldProblem(field, problem)]);
        }
    }
}
