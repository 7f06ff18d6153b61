namespace Alignment.Segmentation.Playbooks;

/// <summary>A customer story a rep can tell.</summary>
/// <param name="Title">The title.</param>
/// <param name="Customer">The customer, when it may be named.</param>
/// <param name="Summary">A short summary.</param>
/// <param name="Url">Where to read it.</param>
public sealed record CaseStudy(string Title, string? Customer, string? Summary, string? Url);
