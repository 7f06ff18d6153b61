namespace Alignment.Testing;

/// <summary>The promises a scoring rule (and a model with plugins) keeps, which <see cref="RuleKit"/> checks.</summary>
public enum RulePromise
{
    /// <summary>The same lead gives the same points on every run.</summary>
    Deterministic = 0,

    /// <summary>The same lead gives the same points when 8 threads score at once.</summary>
    ThreadSafe = 1,

    /// <summary>Evaluating a lead allocates nothing (checked only when <see cref="RuleKitOptions.ClaimsNoAllocation"/> is set).</summary>
    NoAllocationPerLead = 2,

    /// <summary>The score card's explanation adds up exactly to its total, and the rule's line holds its points rounded to hundredths.</summary>
    ExplanationAddsUp = 3,

    /// <summary>An exception from the rule surfaces as a <c>ScoringRuleException</c> that names the rule and the lead id.</summary>
    FailureNamesRuleAndLead = 4,

    /// <summary>The rule reads no custom attribute beyond those it declares in <see cref="RuleKitOptions.Reads"/>.</summary>
    ReadsOnlyItsSchema = 5,

    /// <summary>A routing strategy chooses one of the eligible reps it was given, or -1 for none.</summary>
    ChoosesAnEligibleRep = 6,

    /// <summary>A nurture step plugin carries out every step it is given without a throw (a throw makes the engine try the step again).</summary>
    CarriesOutTheStep = 7,

    /// <summary>A nurture step delivered again with its idempotency key (after a crash, or racing its first delivery) is dropped: no throw, and no second effect.</summary>
    OncePerStep = 8,

    /// <summary>A nurture step plugin ends a call whose token is cancelled, with a normal return or an <see cref="OperationCanceledException"/>, in time.</summary>
    HonoursCancellation = 9,
}
