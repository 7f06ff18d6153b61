using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Models;
using Alignment.Scoring;

namespace Alignment.Policies.Handoff;

/// <summary>
/// A routing policy compiled against a roster: every name resolved, every rule turned into integer comparisons. Routing with it
/// (<see cref="Route"/>) is synchronous, does no string lookups per rule and allocates nothing.
/// </summary>
/// <remarks>Immutable and thread-safe; the mutable part of routing is the <see cref="RoutingState"/> passed in.</remarks>
public sealed partial class CompiledRoutingPolicy
{
    private readonly CompiledRule[] _rules;
    private RoutingCells? _cells;
    private readonly CompiledRep[] _reps;
    private readonly FrozenDictionary<string, int> _repIndex;
    private readonly SymbolTable _geo;
    private readonly SymbolTable _languages;
    private readonly SymbolTable _segments;
    private readonly SymbolTable _sources;
    private readonly SymbolTable _accounts;
    private readonly SymbolTable _domains;
    private readonly int[] _ownerByAccount;
    private readonly int[] _ownerByDomain;
    private RoutingFootprint? _whole;

    internal CompiledRoutingPolicy(
        string id,
        CompiledRule[] rules,
        CompiledRep[] reps,
        TimeZoneInfo[] zones,
        ImmutableArray<string> queues,
        SymbolTable geo,
        SymbolTable languages,
        SymbolTable segments,
        SymbolTable sources,
        SymbolTable accounts,
        SymbolTable domains,
        int[] ownerByAccount,
        int[] ownerByDomain,
        TimeSpan defaultSla,
        ModelReference model)
    {
        Id = id;
        Model = model;
        _rules = rules;
        _reps = reps;
        Zones = zones;
        Queues = queues;
        _geo = geo;
        _languages = languages;
        _segments = segments;
        _sources = sources;
        _accounts = accounts;
        _domains = domains;
        _ownerByAccount = ownerByAccount;
        _ownerByDomain = ownerByDomain;
        DefaultSla = defaultSla;
        _repIndex = reps.ToFrozenDictionary(r => r.Id.Value, r => r.Index, StringComparer.Ordinal);
        Reps = [.. reps.Select(r => r.Id)];
        RuleIds = [.. rules.Select(r => r.Id)];
        PoolKeys = [.. rules.Select(r => id + "/" + r.Id)];
        HasPlugins = rules.Any(r => r.Strategy is PluginStrategy || r.Conditions.Length > 0);
    }

    /// <summary>Whether a rule uses a plugin strategy or condition: then each prepared lead carries its <see cref="RoutingLead.Plugin"/> facts.</summary>
    internal bool HasPlugins { get; }

    /// <summary>The policy's id.</summary>
    public string Id { get; }

    /// <summary>
    /// The exact policy and roster this was compiled from: the policy's id, the release's version (empty for a policy loaded from a
    /// policy and a roster outside a release) and the content hash of the release document (<see cref="RoutingRelease.ContentHash"/>;
    /// outside a release, the hash of the same document without a version). Every <see cref="HandoffDecision"/> the policy makes
    /// carries this instance as its <see cref="HandoffDecision.Policy"/>.
    /// </summary>
    public ModelReference Model { get; }

    /// <summary>The roster's reps; a rep's position here is its index in <see cref="RouteResult.RepIndex"/> and <see cref="RoutingState"/>.</summary>
    internal ImmutableArray<RepId> Reps { get; }

    /// <summary>The rule ids, in policy order.</summary>
    internal ImmutableArray<string> RuleIds { get; }

    /// <summary>The key of each rule's rotation pool (<c>policyId/ruleId</c>), in rule order.</summary>
    internal ImmutableArray<string> PoolKeys { get; }

    /// <summary>Every queue the policy can place a lead in; index 0 is the fallback queue.</summary>
    internal ImmutableArray<string> Queues { get; }

    /// <summary>The fallback queue.</summary>
    internal string FallbackQueue => Queues[0];

    /// <summary>The service level of the fallback (and of rules that set none).</summary>
    internal TimeSpan DefaultSla { get; }

    internal TimeZoneInfo[] Zones { get; }

    internal CompiledRule[] Rules => _rules;

    internal CompiledRep[] RepTable => _reps;

    /// <summary>
    /// What routing a lead can read and change, known before deciding: the pool of each rule that matches the lead, in policy
    /// order, up to the first one that cannot fall through (it has a queue), with the reps each of those rules may choose (its
    /// pool's members; for an account-owner rule, the lead's owner). Whether a rule matches depends only on the lead, so this is
    /// exact for the rule choice; which of those rules places the lead depends on the reps' counters, which is why every rule up
    /// to the first with a queue is included. A store locks these instead of the whole state.
    /// </summary>
    /// <param name="facts">The lead's routing facts.</param>
    /// <param name="phase">The leg of the handoff the routing is for (<see cref="RoutingPhase.Qualified"/> skips qualification rules).</param>
    /// <returns>The footprint; its lists are empty when no rule matches (the lead goes to the fallback queue).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="facts"/> is null.</exception>
    public RoutingFootprint GetFootprint(RoutingFacts facts, RoutingPhase phase)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var lead = Prepare(facts, phase, null);
        var pools = ImmutableArray.CreateBuilder<string>();
        var reps = new bool[_reps.Length];
        for (int r = 0; r < _rules.Length; r++)
        {
            var rule = _rules[r];
            if (!rule.Matches(lead) || !rule.Strategy.AddCandidates(rule, lead, reps))
            {
                continue;
            }

            pools.Add(PoolKeys[r]);
            if (rule.QueueIndex >= 0)
            {
                break;
            }
        }

        var ids = ImmutableArray.CreateBuilder<RepId>();
        for (int i = 0; i < reps.Length; i++)
        {
            if (reps[i])
            {
                ids.Add(_reps[i].Id);
            }
        }

        return new RoutingFootprint(pools.ToImmutable(), ids.ToImmutable(), wholePolicy: false);
    }

    /// <summary>
    /// The policy's pools and reps split into cells that no decision crosses (see <see cref="RoutingCells"/>): a store can give each
    /// cell its own writer. Computed on first use and kept.
    /// </summary>
    /// <returns>The cells.</returns>
    public RoutingCells GetCells() => _cells ??= RoutingCells.Compute(this);

    /// <summary>
    /// Whether a missed first touch on a handoff the rule made moves the lead (to another rep, or to the rule's escalation queue
    /// once its reassignments are used up), rather than only marking the handoff escalated: a store that keeps service-level
    /// clocks itself keeps an escalated handoff's clock running until the move is made.
    /// </summary>
    /// <param name="ruleId">The rule's id (<see cref="HandoffDecision.RuleId"/>).</param>
    /// <returns><see langword="true"/> when the rule has reassignments (<c>escalation.maxReassignments</c> above zero); <see langword="false"/> for an unknown rule.</returns>
    public bool ReassignsOnBreach(string ruleId) => IndexOfRule(ruleId) is int i and >= 0 && Rules[i].MaxReassignments > 0;

    /// <summary>Every pool and rep of the policy: the footprint of a decision nothing is known about beforehand.</summary>
    /// <returns>The footprint.</returns>
    public RoutingFootprint GetWholeFootprint() => _whole ??= new RoutingFootprint(PoolKeys, Reps, wholePolicy: true);

    /// <summary>Finds a rep's roster index.</summary>
    /// <param name="rep">The rep.</param>
    /// <returns>The index, or -1 when the rep is not on the roster.</returns>
    internal int IndexOf(RepId rep) => rep.Value is not null && _repIndex.TryGetValue(rep.Value, out int i) ? i : -1;

    /// <summary>The members of a rule's pool, in rotation order.</summary>
    /// <param name="ruleIndex">The rule's position.</param>
    /// <returns>The rep ids.</returns>
    internal ImmutableArray<RepId> GetPoolMembers(int ruleIndex) => [.. _rules[ruleIndex].Members.Select(m => _reps[m].Id)];

    /// <summary>The service level of a rule (or of the fallback for -1).</summary>
    /// <param name="ruleIndex">The rule's position, or -1.</param>
    /// <returns>The first-touch service level.</returns>
    internal TimeSpan GetSla(int ruleIndex) => ruleIndex < 0 ? DefaultSla : _rules[ruleIndex].Sla;

    /// <summary>Whether a rule is an inside-sales qualification rule.</summary>
    /// <param name="ruleIndex">The rule's position.</param>
    /// <returns><see langword="true"/> for a qualification rule.</returns>
    internal bool IsQualificationRule(int ruleIndex) => ruleIndex >= 0 && _rules[ruleIndex].Qualification;

    /// <summary>Finds a rule's position by id.</summary>
    /// <param name="ruleId">The id.</param>
    /// <returns>The position, or -1.</returns>
    internal int IndexOfRule(string? ruleId)
    {
        for (int i = 0; i < _rules.Length; i++)
        {
            if (string.Equals(_rules[i].Id, ruleId, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The manager of a rep, when the roster names one.</summary>
    /// <param name="repIndex">The rep's roster index.</param>
    /// <returns>The manager's id, or <see langword="null"/>.</returns>
    internal RepId? GetManager(int repIndex) => _reps[repIndex].Manager;

    /// <summary>
    /// Finds the owner of a lead's account in this policy's roster: by the lead's account id first, then by its company's domain or,
    /// without one, its e-mail domain (a leading <c>www.</c> ignored), as the <c>accountOwner</c> strategy matches.
    /// </summary>
    /// <param name="lead">The lead.</param>
    /// <returns>The account owner; <see langword="null"/> when the roster names no owner for the lead's account or domain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lead"/> is null.</exception>
    public RepId? FindAccountOwner(Lead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        int owner = FindOwnerIndex(lead.AccountId?.Value, lead.Company.Domain ?? lead.Person.EmailDomain, out _, out _);
        return owner >= 0 ? Reps[owner] : null;
    }

    private int FindOwnerIndex(string? account, string? domain, out int accountSym, out int domainSym)
    {
        var domainSpan = domain.AsSpan().Trim();
        if (domainSpan.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
        {
            domainSpan = domainSpan[4..];
        }

        accountSym = _accounts.Find(account);
        domainSym = domain is null ? SymbolTable.Missing : _domains.Find(domainSpan);
        int owner = accountSym >= 0 ? _ownerByAccount[accountSym] : -1;
        if (owner < 0 && domainSym >= 0)
        {
            owner = _ownerByDomain[domainSym];
        }

        return owner;
    }

    /// <summary>Resolves a request's texts to this policy's symbols, once per lead. Allocation-free.</summary>
    /// <param name="request">The request.</param>
    /// <param name="phase">The leg of the handoff.</param>
    /// <returns>The prepared lead.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    internal RoutingLead Prepare(HandoffRequest request, RoutingPhase phase)
    {
        ArgumentNullException.ThrowIfNull(request);
        var lead = request.Lead;
        return Prepare(
            lead.Id,
            lead.Company.Country,
            lead.Company.Region,
            lead.Person.Language,
            request.Segment?.Value,
            lead.Source,
            lead.AccountId?.Value,
            lead.Company.Domain ?? lead.Person.EmailDomain,
            request.Score.Total,
            request.Score.Grade,
            request.Score.State,
            phase,
            -1);
    }

    /// <summary>Resolves stored facts to this policy's symbols.</summary>
    /// <param name="facts">The facts.</param>
    /// <param name="phase">The leg of the handoff.</param>
    /// <param name="excludedRep">A rep this routing must not choose (the one who missed the service level), or <see langword="null"/>.</param>
    /// <returns>The prepared lead.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="facts"/> is null.</exception>
    internal RoutingLead Prepare(RoutingFacts facts, RoutingPhase phase, RepId? excludedRep)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return Prepare(
            facts.LeadId,
            facts.Country,
            facts.Region,
            facts.Language,
            facts.Segment,
            facts.Source,
            facts.AccountId,
            facts.Domain,
            facts.Score,
            facts.Grade,
            facts.State,
            phase,
            excludedRep is { } ex ? IndexOf(ex) : -1);
    }

    private RoutingLead Prepare(LeadId leadId, string? country, string? region, string? language, string? segment, string? source, string? account, string? domain, decimal score, Grade grade, QualificationState state, RoutingPhase phase, int excluded)
    {
        int lang = _languages.Find(language);
        if (lang == SymbolTable.Unknown)
        {
            var span = language.AsSpan();
            int dash = span.IndexOfAny('-', '_');
            if (dash > 0)
            {
                lang = _languages.Find(span[..dash]);
            }
        }

        int owner = FindOwnerIndex(account, domain, out int accountSym, out int domainSym);

        return new RoutingLead(
            _geo.Find(country),
            _geo.Find(region),
            lang,
            _segments.Find(segment),
            _sources.Find(source),
            accountSym,
            domainSym,
            owner,
            score,
            (int)grade,
            (int)state,
            phase,
            excluded,
            HasPlugins ? new RoutingPluginLead(leadId, country, region, language, segment, source, account, domain, score, grade, state) : default);
    }

    /// <summary>
    /// Routes one prepared lead against <paramref name="state"/> and records the assignment in it (open and daily counts,
    /// rotation). Synchronous and allocation-free. Exactly one outcome: a rep, a rule's queue, or the fallback queue.
    /// </summary>
    /// <param name="lead">The lead, prepared by this policy.</param>
    /// <param name="now">The decision time.</param>
    /// <param name="state">The shared state; the caller serializes access to it.</param>
    /// <param name="notes">A buffer for the explanation (who was passed over and why); may be empty.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="state"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="state"/> belongs to another policy.</exception>
    internal RouteResult Route(in RoutingLead lead, DateTimeOffset now, RoutingState state, Span<CandidateNote> notes)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!ReferenceEquals(state.Policy, this))
        {
            throw new ArgumentException("The routing state belongs to another policy.", nameof(state));
        }

        long nowTicks = now.UtcTicks;
        var noted = new RouteNotes(notes);
        var rules = _rules;
        for (int r = 0; r < rules.Length; r++)
        {
            var rule = rules[r];
            if (!rule.Matches(lead))
            {
                continue;
            }

            // One virtual call per matched rule: each strategy is its own type (see RoutingStrategies), there is no switch to forget a case in.
            int chosen = rule.Strategy.Choose(this, rule, lead, nowTicks, state, ref noted);
            if (chosen == RoutingStrategy.DoesNotApply)
            {
                continue;
            }

            if (chosen >= 0)
            {
                state.Commit(chosen, nowTicks);
                long start = nowTicks;
                if (rule.Availability == AvailabilityMode.Wait)
                {
                    start = NextWorkingStart(chosen, nowTicks, state);
                }

                var startAt = new DateTimeOffset(start, TimeSpan.Zero);
                return new RouteResult(r, chosen, -1, noted.Count, noted.Passed, startAt, startAt + rule.Sla);
            }

            if (rule.QueueIndex >= 0)
            {
                return new RouteResult(r, -1, rule.QueueIndex, noted.Count, noted.Passed, now, now + rule.Sla);
            }

            noted.Add(new CandidateNote(r, -1, PassOverReason.NoEligibleRep, 0));
        }

        return new RouteResult(-1, -1, 0, noted.Count, noted.Passed, now, now + DefaultSla);
    }

    /// <summary>
    /// Whether a rep may take a lead under a rule: not the excluded rep, has the pool's skills, speaks the lead's language and covers
    /// its territory when the rule asks, is not away or outside working hours (with <see cref="AvailabilityMode.Skip"/>), and is
    /// under its caps. Allocation-free; the strategies call it for each candidate.
    /// </summary>
    /// <param name="rule">The rule.</param>
    /// <param name="repIndex">The rep's roster index.</param>
    /// <param name="hasSkills">Whether the rep has every skill the rule's pool requires.</param>
    /// <param name="lead">The lead.</param>
    /// <param name="nowTicks">The decision time, in UTC ticks.</param>
    /// <param name="state">The routing state.</param>
    /// <param name="value">The count behind <see cref="PassOverReason.AtCapacity"/> or <see cref="PassOverReason.DailyCap"/>, else 0.</param>
    /// <returns><see cref="PassOverReason.None"/> when the rep is eligible, else why not.</returns>
    internal PassOverReason Check(CompiledRule rule, int repIndex, bool hasSkills, in RoutingLead lead, long nowTicks, RoutingState state, out int value)
    {
        value = 0;
        var rep = _reps[repIndex];
        if (repIndex == lead.ExcludedRep)
        {
            return PassOverReason.Excluded;
        }

        if (!hasSkills)
        {
            return PassOverReason.Skill;
        }

        if (rule.MatchLanguage && lead.Language != SymbolTable.Missing && !rep.Languages.Contains(lead.Language))
        {
            return PassOverReason.Language;
        }

        if (rule.MatchTerritory && (lead.Country != SymbolTable.Missing || lead.Region != SymbolTable.Missing)
            && !rep.Territories.Contains(lead.Country) && !rep.Territories.Contains(lead.Region))
        {
            return PassOverReason.Territory;
        }

        if (rep.AwayFrom.Length != 0 && rep.IsAway(nowTicks))
        {
            return PassOverReason.OutOfOffice;
        }

        long local = rep.WeekMinutes is null && rep.MaxPerDay == int.MaxValue ? 0 : nowTicks + state.Offset(rep.ZoneIndex, nowTicks);
        if (rule.Availability == AvailabilityMode.Skip && !rep.IsWorking(local))
        {
            return PassOverReason.OffHours;
        }

        int open = state.Open[repIndex];
        if (open >= rep.MaxOpen)
        {
            value = open;
            return PassOverReason.AtCapacity;
        }

        if (rep.MaxPerDay != int.MaxValue)
        {
            int today = (int)(local / TimeSpan.TicksPerDay);
            int count = state.DayKey[repIndex] == today ? state.DayCount[repIndex] : 0;
            if (count >= rep.MaxPerDay)
            {
                value = count;
                return PassOverReason.DailyCap;
            }
        }

        return PassOverReason.None;
    }

    internal int LocalDay(int repIndex, long utcTicks, RoutingState state) =>
        (int)((utcTicks + state.Offset(_reps[repIndex].ZoneIndex, utcTicks)) / TimeSpan.TicksPerDay);

    private long NextWorkingStart(int repIndex, long utcTicks, RoutingState state)
    {
        var rep = _reps[repIndex];
        if (rep.WeekMinutes is null)
        {
            return utcTicks;
        }

        long t = utcTicks;
        for (int i = 0; i < 8 * 1440; i++)
        {
            if (rep.IsWorking(t + state.Offset(rep.ZoneIndex, t)))
            {
                return t;
            }

            t = (t / TimeSpan.TicksPerMinute + 1) * TimeSpan.TicksPerMinute;
        }

        return utcTicks;
    }

    /// <summary>Writes a routing outcome as text: the rule, the strategy, the rep or queue, who was passed over and why, and the deadline.</summary>
    /// <param name="result">The outcome.</param>
    /// <param name="notes">The notes <see cref="Route"/> wrote (the first <see cref="RouteResult.NoteCount"/>).</param>
    /// <returns>The explanation.</returns>
    internal string Explain(in RouteResult result, ReadOnlySpan<CandidateNote> notes)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        if (result.RuleIndex < 0)
        {
            sb.Append(inv, $"no rule placed the lead: fallback queue '{FallbackQueue}'");
        }
        else
        {
            var rule = _rules[result.RuleIndex];
            sb.Append(inv, $"rule '{rule.Id}' ({rule.Strategy.Description})");
            if (result.IsAssigned)
            {
                sb.Append(inv, $": assigned to {_reps[result.RepIndex].Id}, first touch due {result.SlaDueAt:yyyy-MM-dd HH:mm}Z ({Minutes(rule.Sla)} SLA");
                sb.Append(rule.Availability == AvailabilityMode.Wait
                    ? string.Create(inv, $", clock started {result.SlaStartsAt:yyyy-MM-dd HH:mm}Z, the rep's working time)")
                    : ")");
            }
            else
            {
                sb.Append(inv, $": no eligible rep, queue '{Queues[result.QueueIndex]}'");
            }
        }

        int count = Math.Min(result.NoteCount, notes.Length);
        if (count > 0)
        {
            sb.Append("; passed over: ");
            for (int i = 0; i < count; i++)
            {
                if (i > 0)
                {
                    sb.Append(", ");
                }

                var n = notes[i];
                if (n.RepIndex < 0)
                {
                    sb.Append(inv, $"rule '{_rules[n.RuleIndex].Id}' {Describe(n)}");
                }
                else
                {
                    sb.Append(inv, $"{_reps[n.RepIndex].Id} ({Describe(n)})");
                }
            }

            if (result.PassedOver > count)
            {
                sb.Append(inv, $" and {result.PassedOver - count} more");
            }
        }

        return sb.ToString();
    }

    private string Describe(CandidateNote n) => n.Reason switch
    {
        PassOverReason.Excluded => "excluded: missed the service level",
        PassOverReason.Skill => "lacks a required skill",
        PassOverReason.Language => "does not speak the lead's language",
        PassOverReason.Territory => "does not cover the lead's territory",
        PassOverReason.OutOfOffice => "out of office",
        PassOverReason.OffHours => "outside working hours",
        PassOverReason.AtCapacity => string.Create(CultureInfo.InvariantCulture, $"at capacity {n.Value}/{_reps[n.RepIndex].MaxOpen}"),
        PassOverReason.DailyCap => string.Create(CultureInfo.InvariantCulture, $"daily cap {n.Value}/{_reps[n.RepIndex].MaxPerDay}"),
        PassOverReason.NotInPool => "account owner not in the rule's pool",
        PassOverReason.NoAccountOwner => "did not apply: the account has no owner",
        PassOverReason.NoEligibleRep => "had no eligible rep and fell through",
        _ => n.Reason.ToString(),
    };

    private static string Minutes(TimeSpan t) => t.TotalMinutes < 120
        ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalMinutes:0} min")
        : string.Create(CultureInfo.InvariantCulture, $"{t.TotalHours:0.#} h");

    /// <summary>Turns an outcome into the <see cref="HandoffDecision"/> of Abstractions, with its explanation.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="result">The outcome.</param>
    /// <param name="notes">The notes <see cref="Route"/> wrote.</param>
    /// <returns>An <see cref="HandoffDecision.Assigned"/> or <see cref="HandoffDecision.Queued"/>.</returns>
    internal HandoffDecision ToDecision(LeadId leadId, in RouteResult result, ReadOnlySpan<CandidateNote> notes)
    {
        string ruleId = result.RuleIndex < 0 ? "fallback" : _rules[result.RuleIndex].Id;
        string why = Explain(result, notes);
        return result.IsAssigned
            ? new HandoffDecision.Assigned(leadId, _reps[result.RepIndex].Id, ruleId, why) { Policy = Model }
            : new HandoffDecision.Queued(leadId, Queues[result.QueueIndex], ruleId, why) { Policy = Model };
    }
}
