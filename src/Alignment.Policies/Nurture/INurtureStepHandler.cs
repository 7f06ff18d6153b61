namespace Alignment.Policies.Nurture;

/// <summary>Carries out nurture steps for the host: sends the e-mail through its marketing platform or creates the rep task in its CRM.</summary>
/// <remarks>
/// Implementations are thread-safe. Delivery is at least once with a stable key: the engine records a step as sent after the
/// handler returns, so if the process dies between the two, the step is handed over again with the same
/// <see cref="NurtureStepExecution.IdempotencyKey"/>, which the handler uses to drop the repeat.
/// </remarks>
public interface INurtureStepHandler
{
    /// <summary>Carries out one step.</summary>
    /// <param name="execution">The step.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the step is handed over.</returns>
    ValueTask ExecuteAsync(NurtureStepExecution execution, CancellationToken cancellationToken = default);
}
