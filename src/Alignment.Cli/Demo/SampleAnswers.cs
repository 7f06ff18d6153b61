using System.Collections.Immutable;
using Alignment.Handoff;
using Alignment.Segmentation;
using Alignment.Segmentation.Consistency;

namespace Alignment.Cli.Demo;

/// <summary>
/// The reps' answers to "what is our value proposition for this segment?", as collected in the quarterly alignment survey. Some
/// reps repeat the playbook closely, some drift to price or features: message consistency measures how far.
/// </summary>
internal static class SampleAnswers
{
    private static readonly ImmutableDictionary<string, (string[] Reps, string[] OnMessage, string[] OffMessage)> Answers =
        new Dictionary<string, (string[], string[], string[])>
        {
            ["agency"] = (
                ["agency-indigo", "agency-jordan", "agency-kai", "agency-lane", "vp-sales-morgan"],
                ["prove campaign revenue to every client", "one shared pipeline report per account", "client-ready revenue dashboards", "cut monthly client reporting time"],
                ["cheapest tool for agencies", "unlimited seats and white labelling", "we integrate with every ad platform"]),
            ["enterprise"] = (
                ["us-ae-avery", "us-ae-blake", "us-ae-casey", "us-ae-devon", "uk-ellis", "uk-finley", "uk-harper", "vp-sales-morgan"],
                ["forecast revenue accurately across every region", "one governed pipeline model", "forecast error down in two quarters", "data residency and SOC 2"],
                ["biggest discount this quarter", "replace your whole CRM", "AI features nobody else has"]),
            ["mid-market"] = (
                ["us-ae-avery", "us-ae-blake", "us-ae-casey", "us-ae-devon", "uk-ellis", "uk-finley", "uk-harper"],
                ["one pipeline view for sales and marketing", "growing teams forecast revenue with confidence", "live in two weeks with native CRM sync"],
                ["cheaper than the enterprise tools", "lots of dashboards out of the box", "a free trial for everyone"]),
            ["small-business"] = (
                ["isr-marlow", "isr-noel", "isr-oakley"],
                ["see your whole pipeline in one place", "know which leads to call today", "set up in an afternoon"],
                ["the lowest price per seat", "a mobile app for reps", "free onboarding calls"]),
        }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>The rep whose answers drift from the playbook in the last quarter's test.</summary>
    public const string DriftingRep = "uk-harper";

    /// <summary>Builds one survey per segment that has a playbook, for one quarter's test.</summary>
    /// <param name="models">The models (the playbooks give the canonical value propositions).</param>
    /// <param name="quarter">The quarter, 0 to 3: each later quarter the reps repeat more of the playbook and less of their own pitch, as
    /// the playbook is adopted, except <see cref="DriftingRep"/>, who drifts to price and features in the last one.</param>
    /// <returns>The surveys, in segment order.</returns>
    public static ImmutableArray<ValuePropositionSurvey> Surveys(DemoModelSet models, int quarter = 3)
    {
        var surveys = ImmutableArray.CreateBuilder<ValuePropositionSurvey>();
        foreach (var segment in DemoModels.Segments)
        {
            if (!models.Segmentation.TryGetPlaybook(new SegmentId(segment), out var playbook) || !Answers.TryGetValue(segment, out var set))
            {
                continue;
            }

            var answers = new List<RepAnswer>();
            for (int r = 0; r < set.Reps.Length; r++)
            {
                // Rep r starts with (r % 3) + 1 fragments fewer on message and (r % 2) + 1 off-message ones: a spread from faithful to
                // drifting; each quarter adds a fragment of the playbook and drops an off-message one.
                int on = Math.Clamp(set.OnMessage.Length - (r % 3) - 1 + quarter, 1, set.OnMessage.Length);
                int off = Math.Max(0, (r % 3 == 2 ? 2 : r % 2) + 1 - quarter);
                if (set.Reps[r] == DriftingRep && quarter == 3)
                {
                    (on, off) = (1, set.OffMessage.Length);
                }

                var parts = set.OnMessage.Skip(r % set.OnMessage.Length).Concat(set.OnMessage).Take(on)
                    .Concat(set.OffMessage.Skip(r % set.OffMessage.Length).Concat(set.OffMessage).Take(off));
                answers.Add(new RepAnswer(new RepId(set.Reps[r]), string.Join("; ", parts) + "."));
            }

            surveys.Add(new ValuePropositionSurvey(new SegmentId(segment), playbook.ValueProposition, answers));
        }

        return surveys.ToImmutable();
    }
}
