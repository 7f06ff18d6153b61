using Alignment.Leads;

namespace Alignment.Scoring.Definitions;

/// <summary>A custom attribute a scoring model reads, with the type it expects; the lead's <see cref="AttributeSchema"/> must have it with that type.</summary>
/// <param name="Name">The attribute's name.</param>
/// <param name="Kind">The attribute's type.</param>
public sealed record AttributeDeclaration(string Name, AttributeKind Kind);
