using Microsoft.Extensions.Logging;

namespace Vpp.Benchmarks;

/// <summary>
/// Orleans warns about every grain turn longer than 1 s (category Orleans.Runtime.Scheduler.WorkItemGroup). The naive
/// grain's turn that issues 100k calls is one, every dispatch; printing each warning would bury the figures, so they
/// are counted here instead (naive vs. everything else) and the first one of any other grain is printed.
/// </summary>
public sealed class LongTurnLog : ILoggerProvider
{
    public const string Category = "Orleans.Runtime.Scheduler.WorkItemGroup";

    private static int _naive;
    private static int _other;

    public static (int Naive, int Other) Take() => (Interlocked.Exchange(ref _naive, 0), Interlocked.Exchange(ref _other, 0));

    public ILogger CreateLogger(string categoryName) => categoryName == Category ? new Counter() : NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class NullLogger : ILogger
    {
        public static readonly NullLogger Instance = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => false;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }
    }

    private sealed class Counter : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel < LogLevel.Warning)
            {
                return;
            }

            var message = formatter(state, exception);
            if (message.Contains("/naivefleet/", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _naive);
            }
            else if (Interlocked.Increment(ref _other) == 1)
            {
                Console.WriteLine($"  long turn: {message[..Math.Min(message.Length, 400)]}");
            }
        }
    }
}
