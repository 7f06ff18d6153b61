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

    /// <summary>The meetings booked, keyed by the step's idempotency key (a repeat replaces the same entry).</summary>
    public ConcurrentDictionary<string, NurtureActionRequest> Booked { get; } = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public string Name => ActionName;

    /// <inheritdoc />
    public ValueTask ExecuteAsync(NurtureActionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        Booked[request.IdempotencyKey] = request;
        return ValueTask.CompletedTask;
    }
}
