using Alignment.Handoff;

namespace Alignment.Policies.Handoff.Definitions;

/// <summary>The sales team routing chooses from: reps with their schedules and caps, and who owns which account.</summary>
internal sealed record RosterDefinition
{
    /// <summary>The reps.</summary>
    public IReadOnlyList<RepDefinition>? Reps { get; init; }

    /// <summary>Account owners, for <see cref="AccountOwnerStrategy">accountOwner</see> rules.</summary>
    public IReadOnlyList<AccountOwnerDefinition>? Accounts { get; init; }

    /// <summary>Builds a roster from the CRM's <see cref="SalesRep"/> records (always available, weight 1).</summary>
    /// <param name="reps">The reps.</param>
    /// <returns>The roster, without account owners.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reps"/> is null.</exception>
    public static RosterDefinition FromSalesReps(IEnumerable<SalesRep> reps)
    {
        ArgumentNullException.ThrowIfNull(reps);
        var list = new List<RepDefinition>();
        foreach (var r in reps)
        {
            list.Add(new RepDefinition
            {
                Id = r.Id.Value,
                Team = r.Team,
                Skills = [.. r.Skills],
                Languages = [.. r.Languages],
                Territories = [.. r.Territories],
                TimeZone = r.TimeZoneId,
                MaxOpenLeads = r.MaxOpenLeads,
                MaxLeadsPerDay = r.MaxLeadsPerDay,
            });
        }

        return new RosterDefinition { Reps = list };
    }
}
