namespace Alignment.Nurture;

/// <summary>
/// The extension point for what a nurture step does, when the host has a step of its own (book a meeting in its calendar system, send
/// through the CRM's e-mail system, create a call task of its own kind). A policy step refers to it by <see cref="Name"/> with
/// <c>"handler": "name"</c>; the engine then hands that step to the plugin instead of the host's general step handler, and explains the
/// step as carried out by <c>plugin '<see cref="Name"/>'</c>.
/// </summary>
/// <remarks>
/// Thread-safe: one instance serves every step. Delivery is at least once: the engine records the step as sent after the plugin returns,
/// so after a crash between the two the same step comes again with the same <see cref="NurtureActionRequest.IdempotencyKey"/>, which
/// the plugin uses to drop the repeat. An exception it throws is rethrown as an <c>InvalidOperationException</c> naming the plugin,
/// the step and the lead id, with it as the inner exception; the step is not recorded as sent, so it is tried again.
/// </remarks>
public interface INurtureStepAction
{
    /// <summary>The stable name a policy step uses to refer to the plugin (for example <c>book-meeting</c>); matched exactly.</summary>
    string Name { get; }

    /// <summary>Carries out one step.</summary>
    /// <param name="request">The step, its lead and why it was chosen.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the step is handed over.</returns>
    ValueTask ExecuteAsync(NurtureActionRequest request, CancellationToken cancellationToken = default);
}
