using System.Collections.Concurrent;
using Alignment.Nurture;

namespace Alignment.Cli.TestPlugin;

/// <summary>
/// A sample nurture step plugin: "books a meeting" by keeping the request (a real one would call the calendar system, keyed by the
/// request's idempotency key). Referred to with <c>"handler": "book-meeting"</c>.
/// </summary>
public sealed class BookMeetingAction : INurtureStepAction
{
    /// <summary>The name a policy step refers to.</summary>
    public const string ActionName = "book-meeting";

    /// <summary>The meetings booked, keyed by the step's idempotency key (a repeat books nothing).</summary>
    public ConcurrentDictionary<string, NurtureActionRequest> Booked { get; } = new(StringComparer.Ordinal);

    /// <summary>How many meetings the calendar holds per idempotency key: 1 for every step, however often it was delivered.</summary>
    public ConcurrentDictionary<string, int> Meetings { get; } = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public string Name => ActionName;

    /// <inheritdoc />
    public ValueTask ExecuteAsync(NurtureActionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        if (Booked.TryAdd(request.IdempotencyKey, request))
        {
            Meetings.AddOrUpdate(request.IdempotencyKey, 1, static (_, n) => n + 1);
        }

        return ValueTask.CompletedTask;
    }
}
