namespace Alignment.Policies.Handoff;

/// <summary>One problem found while loading or compiling a routing policy or roster.</summary>
/// <param name="Document">Which document: <c>policy</c> or <c>roster</c>.</param>
/// <param name="Path">The JSON path of the offending value, such as <c>$.rules[2].pool.reps[0]</c>.</param>
/// <param name="Message">What is wrong.</param>
public sealed record RoutingPolicyError(string Document, string Path, string Message)
{
    /// <summary>Formats the error as <c>policy $.rules[2].pool.reps[0]: unknown rep id 'x'</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Document} {Path}: {Message}";
}
