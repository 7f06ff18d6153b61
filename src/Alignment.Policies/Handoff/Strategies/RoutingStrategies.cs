using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Alignment.Policies.Handoff;

/// <summary>
/// The one registry of routing strategies: a table built once, which the policy loader resolves a rule's <c>"strategy"</c> name in
/// (case-insensitively). A strategy that is not in <see cref="All"/> cannot be named by a policy; two strategies with the same
/// name fail the type's initialization, that is the first load of any policy.
/// </summary>
internal static class RoutingStrategies
{
    /// <summary>Rotation in rep-id order (<c>roundRobin</c>).</summary>
    public static readonly RoutingStrategy RoundRobin = new RoundRobinStrategy();

    /// <summary>Smooth weighted rotation (<c>weighted</c>).</summary>
    public static readonly RoutingStrategy Weighted = new WeightedStrategy();

    /// <summary>Fewest open leads, ties by rotation (<c>loadBalanced</c>).</summary>
    public static readonly RoutingStrategy LoadBalanced = new LoadBalancedStrategy();

    /// <summary>The owner of the lead's account (<c>accountOwner</c>).</summary>
    public static readonly RoutingStrategy AccountOwner = new AccountOwnerStrategy();

    /// <summary>Every strategy, in the order the documentation lists them.</summary>
    public static readonly ImmutableArray<RoutingStrategy> All = [RoundRobin, Weighted, LoadBalanced, AccountOwner];

    private static readonly FrozenDictionary<string, RoutingStrategy> ByName =
        All.ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase).ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The names of every strategy as a sentence, for messages: <c>roundRobin, weighted, loadBalanced or accountOwner</c>.</summary>
    public static readonly string KnownNames = string.Join(", ", All[..^1].Select(s => s.Name)) + " or " + All[^1].Name;

    /// <summary>Finds a strategy by its name, ignoring case.</summary>
    /// <param name="name">The name, such as <c>roundRobin</c>.</param>
    /// <param name="strategy">The strategy, or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when a strategy has that name.</returns>
    public static bool TryGet(string? name, [NotNullWhen(true)] out RoutingStrategy? strategy)
    {
        strategy = null;
        return name is not null && ByName.TryGetValue(name, out strategy);
    }

    /// <summary>
    /// The strategy a mistaken name probably meant, for a suggestion: the one whose name it is once separators are removed
    /// (<c>round-robin</c>, <c>load_balanced</c>), else the one it shares its first five letters with (<c>roundRobbin</c>).
    /// </summary>
    /// <param name="name">The name that is not registered.</param>
    /// <returns>The strategy, or <see langword="null"/> when none is close.</returns>
    public static RoutingStrategy? Suggest(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            return null;
        }

        string letters = string.Concat(name.Where(char.IsLetterOrDigit));
        if (TryGet(letters, out var same))
        {
            return same;
        }

        foreach (var strategy in All)
        {
            if (letters.Length >= 5 && strategy.Name.StartsWith(letters[..5], StringComparison.OrdinalIgnoreCase))
            {
                return strategy;
            }
        }

        return null;
    }
}
