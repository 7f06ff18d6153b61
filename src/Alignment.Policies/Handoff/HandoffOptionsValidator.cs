using Alignment.Handoff;
using Alignment.Models;
using Microsoft.Extensions.Options;

namespace Alignment.Policies.Handoff;

/// <summary>Checks <see cref="HandoffOptions"/> at start-up: a policy and a roster are given, and they compile (every problem listed).</summary>
internal sealed class HandoffOptionsValidator(IEnumerable<IRoutingStrategy> strategies, IEnumerable<IRoutingCondition> conditions) : IValidateOptions<HandoffOptions>
{

    public ValidateOptionsResult Validate(string? name, HandoffOptions options)
    {
        var result = new ValidateOptionsResultBuilder();
        if (string.IsNullOrWhiteSpace(options.PolicyJson))
        {
            result.AddError("a routing policy is required", nameof(HandoffOptions.PolicyJson));
        }

        if (string.IsNullOrWhiteSpace(options.RosterJson))
        {
            result.AddError("a roster is required", nameof(HandoffOptions.RosterJson));
        }

        if (options.UpcomingSlaWindow < TimeSpan.Zero)
        {
            result.AddError("must not be negative", nameof(HandoffOptions.UpcomingSlaWindow));
        }

        if (result.Build().Failed)
        {
            return result.Build();
        }

        try
        {
            _ = Compile(options, strategies, conditions);
        }
        catch (ModelException ex)
        {
            foreach (var e in ex.Errors)
            {
                result.AddError(e.ToString());
            }
        }

        return result.Build();
    }

    public static CompiledRoutingPolicy Compile(HandoffOptions options, IEnumerable<IRoutingStrategy> strategies, IEnumerable<IRoutingCondition> conditions)
    {
        var load = new RoutingPolicyLoadOptions { Document = "HandoffOptions", Limits = options.Limits };
        foreach (var s in strategies)
        {
            load.Strategies.Add(s);
        }

        foreach (var c in conditions)
        {
            load.Conditions.Add(c);
        }

        return CompiledRoutingPolicy.Load(options.PolicyJson!, options.RosterJson!, load);
    }
}
