namespace Alignment.Policies.Handoff;

/// <summary>Why routing passed over a candidate rep, or why a rule did not place a lead.</summary>
internal enum PassOverReason
{
    /// <summary>Not passed over.</summary>
    None = 0,

    /// <summary>The rep is excluded from this routing (the rep who missed the service level, on reassignment).</summary>
    Excluded = 1,

    /// <summary>The rep lacks a skill the rule requires.</summary>
    Skill = 2,

    /// <summary>The rep does not speak the lead's language.</summary>
    Language = 3,

    /// <summary>The rep does not cover the lead's country or region.</summary>
    Territory = 4,

    /// <summary>The rep is out of office.</summary>
    OutOfOffice = 5,

    /// <summary>The rep is outside their working hours.</summary>
    OffHours = 6,

    /// <summary>The rep holds as many open leads as their cap.</summary>
    AtCapacity = 7,

    /// <summary>The rep received as many leads today as their daily cap.</summary>
    DailyCap = 8,

    /// <summary>The account owner is not in the rule's pool.</summary>
    NotInPool = 9,

    /// <summary>Rule level: the lead's account has no owner, so the account-owner rule did not apply.</summary>
    NoAccountOwner = 10,

    /// <summary>Rule level: the rule matched but no member was eligible, and it has no queue; the lead fell through.</summary>
    NoEligibleRep = 11,
}
