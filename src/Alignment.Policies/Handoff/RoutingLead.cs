using System.Runtime.InteropServices;
using Alignment.Handoff;

namespace Alignment.Policies.Handoff;

/// <summary>
/// A lead reduced to what a compiled policy matches on, with every text resolved to a symbol of that policy. Made by
/// <see cref="CompiledRoutingPolicy.Prepare(Alignment.Handoff.HandoffRequest, RoutingPhase)"/>; valid only for the policy that made it.
/// </summary>
[StructLayout(LayoutKind.Auto)]
internal readonly struct RoutingLead
{
    internal RoutingLead(int country, int region, int language, int segment, int source, int account, int domain, int owner, decimal score, int grade, int state, RoutingPhase phase, int excluded, RoutingPluginLead plugin = default)
    {
        Plugin = plugin;
        Country = country;
        Region = region;
        Language = language;
        Segment = segment;
        Source = source;
        Account = account;
        Domain = domain;
        Owner = owner;
        Score = score;
        Grade = grade;
        State = state;
        Phase = phase;
        ExcludedRep = excluded;
    }

    internal int Country { get; }

    internal int Region { get; }

    internal int Language { get; }

    internal int Segment { get; }

    internal int Source { get; }

    internal int Account { get; }

    internal int Domain { get; }

    internal int Owner { get; }

    internal decimal Score { get; }

    internal int Grade { get; }

    internal int State { get; }

    /// <summary>The lead's facts as routing plugins read them; <see langword="default"/> when the policy has no plugin.</summary>
    internal RoutingPluginLead Plugin { get; }

    /// <summary>The leg of the handoff.</summary>
    public RoutingPhase Phase { get; }

    /// <summary>The roster index of a rep this routing must not choose, or -1.</summary>
    public int ExcludedRep { get; }

    /// <summary>The roster index of the owner of the lead's account, or -1 when the account has no known owner.</summary>
    public int AccountOwner => Owner;
}
