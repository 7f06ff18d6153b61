namespace Alignment.Policies.Nurture;

/// <summary>
/// Gives nurture steps their collateral, typically from the segment playbook (the segmentation package can implement this; the
/// policies package never references it). The engine filters what comes back: only approved, fresh, unexpired content is sent.
/// </summary>
/// <remarks>Implementations are thread-safe.</remarks>
public interface INurtureContentProvider
{
    /// <summary>Lists the candidate collateral for a step.</summary>
    /// <param name="query">The lead's segment, the step's topic and the instant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The candidates, in any order; empty when there are none.</returns>
    ValueTask<IReadOnlyList<NurtureContent>> GetCandidatesAsync(NurtureContentQuery query, CancellationToken cancellationToken = default);
}
