using Alignment.Models;
using Microsoft.Extensions.Options;

namespace Alignment.Policies.Handoff;

/// <summary>Checks <see cref="HandoffOptions"/> at start-up: a policy and a roster are given, and they compile (every problem listed).</summary>
internal sealed class HandoffOptionsValidator : IValidateOptions<HandoffOptions>
{
    public ValidateOptionsResult Validate(string? name, HandoffOptions options)
    {
        var result = new ValidateOptionsResultBuilder();
        if (options.Policy is null && string.IsNullOrWhiteSpace(options.PolicyJson))
        {
            result.AddError("a routing policy is required (Policy or PolicyJson)", nameof(HandoffOptions.PolicyJson));
        }

        if (options.Roster is null && string.IsNullOrWhiteSpace(options.RosterJson))
        {
            result.AddError("a roster is required (Roster or RosterJson)", nameof(HandoffOptions.RosterJson));
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
            _ = Compile(options);
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

    public static CompiledRoutingPolicy Compile(HandoffOptions options) => RoutingPolicyCompiler.Compile(
        options.Policy ?? RoutingPolicyLoader.ParsePolicy(options.PolicyJson!, options.Limits),
        options.Roster ?? RoutingPolicyLoader.ParseRoster(options.RosterJson!, options.Limits));
}
