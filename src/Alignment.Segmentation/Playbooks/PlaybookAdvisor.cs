using Alignment.Leads;
using Alignment.Scoring;
using Alignment.Segmentation.Collateral;
using Alignment.Segmentation.Rules;

namespace Alignment.Segmentation.Playbooks;

/// <summary>Answers "what should I send this lead?" from the segmentation model's playbooks and the collateral library.</summary>
/// <remarks>Thread-safe.</remarks>
/// <param name="model">The segmentation model (segments and playbooks).</param>
/// <param name="library">The collateral library.</param>
public sealed class PlaybookAdvisor(SegmentationModel model, CollateralLibrary library)
{
    private readonly SegmentationModel _model = model ?? throw new ArgumentNullException(nameof(model));
    private readonly CollateralLibrary _library = library ?? throw new ArgumentNullException(nameof(library));

    /// <summary>Finds a lead's segment and returns its playbook with the fresh, approved items ranked by effectiveness.</summary>
    /// <param name="lead">The lead.</param>
    /// <param name="score">Its score card, or <see langword="null"/>.</param>
    /// <returns>The recommendation.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lead"/> is null.</exception>
    public PlaybookRecommendation Recommend(Lead lead, ScoreCard? score)
    {
        var assignment = _model.Assign(lead, score);
        var playbook = _model.TryGetPlaybook(assignment.Segment, out var p) ? p : null;
        return new PlaybookRecommendation(assignment, playbook, _library.GetOffered(assignment.Segment));
    }
}
