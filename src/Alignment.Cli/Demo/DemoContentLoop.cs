using System.Collections.Immutable;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Segmentation;
using Alignment.Segmentation.Collateral;
using Alignment.Segmentation.Consistency;

namespace Alignment.Cli.Demo;

/// <summary>A deal the year closed: the lead's segment, its owner and when and how it closed.</summary>
/// <param name="DealId">The deal (the lead's id).</param>
/// <param name="Segment">The lead's segment.</param>
/// <param name="Rep">The rep who owned it.</param>
/// <param name="At">When it closed.</param>
/// <param name="Won">Whether it was won.</param>
internal sealed record ClosedDeal(string DealId, SegmentId Segment, RepId Rep, DateTimeOffset At, bool Won);

/// <summary>An item retired at a quarterly content review for how it performed.</summary>
/// <param name="ItemId">The item.</param>
/// <param name="At">When.</param>
/// <param name="Score">Its effectiveness score then.</param>
/// <param name="ClosedDeals">The closed deals it had been used in.</param>
/// <param name="Reason">The reason written into its history.</param>
internal sealed record ContentRetirement(string ItemId, DateTimeOffset At, double Score, int ClosedDeals, string Reason);

/// <summary>What the content loop did over the year.</summary>
internal sealed record ContentLoopResult
{
    /// <summary>The reps' suggestions as they stand at year end.</summary>
    public required ImmutableArray<ContentSuggestion> Suggestions { get; init; }

    /// <summary>Items waiting for a sales reviewer at year end, oldest first.</summary>
    public required ImmutableArray<CollateralItem> AwaitingReview { get; init; }

    /// <summary>Items retired at a quarterly review for poor effectiveness.</summary>
    public required ImmutableArray<ContentRetirement> Retired { get; init; }

    /// <summary>Expired items sales reviewed and found still right (expiry pushed out).</summary>
    public required int ReReviewed { get; init; }

    /// <summary>Drafts sales sent back with a reason.</summary>
    public required int SentBack { get; init; }

    /// <summary>Usages recorded from the year's closed deals.</summary>
    public required int Usages { get; init; }

    /// <summary>Content decisions published, by kind name.</summary>
    public required ImmutableSortedDictionary<string, int> Decisions { get; init; }

    /// <summary>The quarterly value-proposition tests.</summary>
    public required ConsistencyTrend Trend { get; init; }
}

/// <summary>
/// The year's content loop on the collateral library, replayed in time order after the pipeline has closed its deals: reps record the
/// collateral they used in each closed deal; reps suggest new material or changes; marketing drafts them and a sales reviewer approves
/// or sends back with a reason; at each quarter's end expired items are re-reviewed or left expired, items whose effectiveness falls
/// under half the team's win rate are retired, and every change is published as a decision; each quarter the reps take the
/// value-proposition test, their answers closer to the playbook as it is adopted (one rep drifts in the last quarter).
/// </summary>
internal static class DemoContentLoop
{
    /// <summary>The sales reviewer of the demo.</summary>
    public static readonly Reviewer SalesReviewer = new("vp-sales-morgan", ReviewerRole.Sales);

    /// <summary>The deck reps reach for in deals that are going badly: the item the year retires for poor effectiveness.</summary>
    public const string WeakDeck = "deck-feature-checklist";

    private const string Tenant = "brightwave";
    private static readonly string[] DealKinds = ["case-study", "guide", "one-pager", "deck"];

    /// <summary>Runs the loop.</summary>
    /// <param name="models">The models (the library and its clock, the playbooks).</param>
    /// <param name="deals">The year's closed deals.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>What the loop did.</returns>
    public static async Task<ContentLoopResult> RunAsync(DemoModelSet models, IReadOnlyList<ClosedDeal> deals, CancellationToken cancellationToken)
    {
        var library = models.Collateral;
        var clock = models.CollateralClock;
        var sink = new CountingSink();
        var events = new List<(DateTimeOffset At, int Order, Action Run)>();
        var retired = ImmutableArray.CreateBuilder<ContentRetirement>();
        int reReviewed = 0, sentBack = 0, usages = 0, won = 0, lost = 0;
        void At(DateTimeOffset at, Action run) => events.Add((at, events.Count, run));
        static DateTimeOffset D(int m, int d) => new(2025, m, d, 10, 0, 0, TimeSpan.Zero);
        ImmutableArray<SegmentId> all = [.. DemoModels.Segments.Select(s => new SegmentId(s))];
        SegmentId S(string s) => new(s);
        string? LostDeal(string segment, DateTimeOffset before) =>
            deals.Where(d => !d.Won && d.Segment.Value == segment && d.At < before).OrderByDescending(d => d.At).Select(d => d.DealId).FirstOrDefault();

        At(D(1, 6), () =>
        {
            library.Add(new CollateralDraft(WeakDeck, "Feature checklist against the competition", "mkt-uma", all) { Kind = "deck" });
            clock.Set(D(1, 8));
            library.Approve(WeakDeck, SalesReviewer);
        });

        // Each closed deal: the owner records the item they used (one offered for the segment then; the feature checklist in most
        // lost deals and few won ones), with the outcome.
        foreach (var deal in deals)
        {
            At(deal.At, () =>
            {
                uint h = Hash(deal.DealId);
                var offered = library.GetOffered(deal.Segment)
                    .Where(r => r.Item.CreatedAt <= deal.At && r.Item.Kind is { } k && DealKinds.Contains(k) && r.Item.Id != WeakDeck)
                    .OrderBy(r => r.Item.Id, StringComparer.Ordinal)
                    .ToList();
                var outcome = deal.Won ? DealOutcome.Won : DealOutcome.Lost;
                if (offered.Count > 0)
                {
                    Use(offered[(int)(h % (uint)offered.Count)].Item.Id);
                }

                bool checklist = library.TryGet(WeakDeck, out var deck) && deck.IsOffered(deal.At) && (h >> 8) % 100 < (deal.Won ? 5u : 60u);
                if (checklist)
                {
                    Use(WeakDeck);
                }

                if (deal.Won) { won++; } else { lost++; }

                void Use(string item)
                {
                    library.RecordUsage(new CollateralUsage(item, deal.Rep, deal.DealId)
                    {
                        Outcome = outcome, UsedAt = deal.At, Helpful = deal.Won, Rating = deal.Won ? 4 + (int)(h % 2) : 2 + (int)(h % 2),
                    });
                    usages++;
                }
            });
        }

        // Q1: an agency rep asks for a client-reporting template; marketing drafts it, sales sends it back, the revision is approved.
        At(D(2, 10), () => library.Suggest(new ContentSuggestion("sg-2025-01", new RepId("agency-indigo"), "A client-reporting template we can show in agency pitches", clock.GetUtcNow())
        {
            Segment = S("agency"), DealId = LostDeal("agency", D(2, 10)),
        }));
        At(D(3, 3), () => library.DraftFromSuggestion("sg-2025-01", new CollateralDraft("template-agency-client-report", "Client revenue report template for agencies", "mkt-quinn", [S("agency")]) { Kind = "guide" }));
        At(D(3, 10), () =>
        {
            library.Reject("template-agency-client-report", SalesReviewer, "show a named client's numbers, not a mock-up");
            sentBack++;
        });
        At(D(3, 21), () => library.Revise(new CollateralDraft("template-agency-client-report", "Client revenue report template for agencies (Northlight figures)", "mkt-quinn", [S("agency")]) { Kind = "guide" }));
        At(D(3, 25), () => library.Approve("template-agency-client-report", SalesReviewer));

        // Q2: an enterprise rep asks for a change to the security one-pager; the revision is approved.
        At(D(5, 5), () => library.Suggest(new ContentSuggestion("sg-2025-02", new RepId("uk-ellis"), "Add the EU data-residency answer procurement keeps asking for", clock.GetUtcNow())
        {
            ItemId = "onepager-security", Segment = S("enterprise"), DealId = LostDeal("enterprise", D(5, 5)),
        }));
        At(D(5, 19), () => library.DraftFromSuggestion("sg-2025-02", new CollateralDraft("onepager-security", "Security and data residency one-pager (EU hosting)", "mkt-uma", [S("enterprise")]) { Kind = "one-pager" }));
        At(D(5, 22), () => library.Approve("onepager-security", SalesReviewer));

        // Q3: a small-business rep asks for a pricing FAQ; sent back once (prices must match the new price book), then approved.
        At(D(8, 12), () => library.Suggest(new ContentSuggestion("sg-2025-03", new RepId("isr-noel"), "A one-page pricing FAQ for owners who ask about seats", clock.GetUtcNow())
        {
            Segment = S("small-business"), DealId = LostDeal("small-business", D(8, 12)),
        }));
        At(D(9, 1), () => library.DraftFromSuggestion("sg-2025-03", new CollateralDraft("faq-smb-pricing", "Pricing questions small businesses ask", "mkt-quinn", [S("small-business")]) { Kind = "one-pager" }));
        At(D(9, 8), () =>
        {
            library.Reject("faq-smb-pricing", SalesReviewer, "prices must match the price book of 1 October");
            sentBack++;
        });
        At(D(10, 2), () => library.Revise(new CollateralDraft("faq-smb-pricing", "Pricing questions small businesses ask (October price book)", "mkt-quinn", [S("small-business")]) { Kind = "one-pager" }));
        At(D(10, 6), () => library.Approve("faq-smb-pricing", SalesReviewer));

        // Q4: two suggestions; one is drafted and waits for sales at year end, the other is still open.
        At(D(11, 3), () => library.Suggest(new ContentSuggestion("sg-2025-04", new RepId("uk-harper"), "Update the forecasting playbook with the two-quarter error numbers", clock.GetUtcNow())
        {
            ItemId = "guide-forecasting-playbook", Segment = S("mid-market"), DealId = LostDeal("mid-market", D(11, 3)),
        }));
        At(D(12, 8), () => library.DraftFromSuggestion("sg-2025-04", new CollateralDraft("guide-forecasting-playbook", "The revenue forecasting playbook (2026 edition)", "mkt-quinn", [S("enterprise"), S("mid-market")]) { Kind = "guide" }));
        At(D(11, 24), () => library.Suggest(new ContentSuggestion("sg-2025-05", new RepId("us-ae-blake"), "A migration checklist for mid-market teams leaving spreadsheets", clock.GetUtcNow())
        {
            Segment = S("mid-market"),
        }));

        // Each quarter's end: expiries noted, expired items that still win re-reviewed, weak items retired, changes published.
        for (int q = 1; q <= 4; q++)
        {
            var end = SampleDataGenerator.Start.AddMonths(3 * q).AddHours(-2);
            At(end, () =>
            {
                foreach (var item in library.ExpireDue())
                {
                    var e = library.GetEffectiveness(item.Id);
                    if (item.Status == CollateralStatus.Approved && e.DealsWon + e.DealsLost >= 3 && e.Score >= TeamRate() * 0.9)
                    {
                        library.MarkReviewed(item.Id, SalesReviewer.Name);
                        reReviewed++;
                    }
                }

                double floor = Math.Round(TeamRate() / 2, 2);
                foreach (var weak in library.GetUnderperforming(floor, minimumClosedDeals: 12))
                {
                    string reason = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"effectiveness {weak.Score:0.00} after {weak.DealsWon + weak.DealsLost} closed deals, under half the team's win rate ({floor:0.00})");
                    library.Retire(weak.ItemId, "mkt-uma", reason);
                    retired.Add(new ContentRetirement(weak.ItemId, end, weak.Score, weak.DealsWon + weak.DealsLost, reason));
                }
            });
        }

        foreach (var (at, _, run) in events.OrderBy(e => e.At).ThenBy(e => e.Order))
        {
            cancellationToken.ThrowIfCancellationRequested();
            clock.Set(at);
            run();
            if (library.PendingChangeCount > 0)
            {
                await library.PublishChangesAsync(sink, Tenant, cancellationToken).ConfigureAwait(false);
            }
        }

        clock.Set(SampleDataGenerator.End);
        var suggestions = library.Suggestions;
        return new ContentLoopResult
        {
            Suggestions = suggestions,
            AwaitingReview = [.. library.Items.Where(i => i.Status == CollateralStatus.PendingApproval).OrderBy(i => i.LastReviewedAt).ThenBy(i => i.Id, StringComparer.Ordinal)],
            Retired = retired.ToImmutable(),
            ReReviewed = reReviewed,
            SentBack = sentBack,
            Usages = usages,
            Decisions = sink.ByKind.ToImmutableSortedDictionary(StringComparer.Ordinal),
            Trend = ConsistencyTrend.Track(Tests(models), driftThreshold: 0.15),
        };

        double TeamRate() => won + lost == 0 ? 0.5 : (double)won / (won + lost);
    }

    /// <summary>The four quarterly value-proposition tests of the year.</summary>
    /// <param name="models">The models (the playbooks give the canonical value propositions).</param>
    /// <returns>The tests, oldest first.</returns>
    public static ImmutableArray<ConsistencyTest> Tests(DemoModelSet models) =>
        [.. Enumerable.Range(0, 4).Select(q => new ConsistencyTest($"2025-Q{q + 1}", SampleDataGenerator.Start.AddMonths(3 * q + 2).AddDays(14), SampleAnswers.Surveys(models, q)))];

    private static uint Hash(string text)
    {
        uint h = 2166136261;
        foreach (char c in text)
        {
            h = (h ^ c) * 16777619;
        }

        return h;
    }

    private sealed class CountingSink : IDecisionSink
    {
        public Dictionary<string, int> ByKind { get; } = new(StringComparer.Ordinal);

        public ValueTask PublishAsync(AlignmentDecision decision, CancellationToken cancellationToken = default)
        {
            if (decision is AlignmentDecision.ContentChanged changed)
            {
                string kind = ContentChange.KindName(changed.Change.Kind);
                ByKind[kind] = ByKind.GetValueOrDefault(kind) + 1;
            }

            return ValueTask.CompletedTask;
        }
    }
}
