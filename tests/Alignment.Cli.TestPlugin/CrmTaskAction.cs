using Alignment.Nurture;

namespace Alignment.Cli.TestPlugin;

/// <summary>What <see cref="CrmTaskAction"/> calls: a CRM's task API, as the host's container would give it.</summary>
public interface ICrmTasks
{
    /// <summary>Creates a task once per idempotency key.</summary>
    /// <param name="idempotencyKey">The step's key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the CRM has the task.</returns>
    ValueTask CreateAsync(string idempotencyKey, CancellationToken cancellationToken);
}

/// <summary>
/// A nurture step plugin built by the host's container (its constructor takes the CRM client), as step plugins usually are. The
/// command-line tool cannot create it; every command must still load the assembly's other plugins.
/// </summary>
public sealed class CrmTaskAction(ICrmTasks tasks) : INurtureStepAction
{
    /// <inheritdoc />
    public string Name => "crm-task";

    /// <inheritdoc />
    public ValueTask ExecuteAsync(NurtureActionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return tasks.CreateAsync(request.IdempotencyKey, cancellationToken);
    }
}
