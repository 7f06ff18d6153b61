namespace Alignment.Leads;

/// <summary>Attributes of the person behind a lead. Every member is optional: a missing value is <see langword="null"/>.</summary>
/// <remarks>
/// This type carries personal data. Its <see cref="ToString"/> prints no name or e-mail address, so that a profile
/// that ends up in a log or an exception message does not leak it. Immutable and thread-safe.
/// </remarks>
public sealed record PersonProfile
{
    /// <summary>A profile with no attribute set.</summary>
    public static PersonProfile Empty { get; } = new();

    /// <summary>The person's full name. Personal data: never logged by Alignment.</summary>
    public string? Name { get; init; }

    /// <summary>The e-mail address. Personal data: never logged by Alignment. Setting it also sets <see cref="EmailDomain"/>.</summary>
    public string? Email
    {
        get;
        init
        {
            field = value;
            int at = value?.LastIndexOf('@') ?? -1;
            EmailDomain = at >= 0 && at < value!.Length - 1 ? value[(at + 1)..].ToLowerInvariant() : null;
        }
    }

    /// <summary>The domain of <see cref="Email"/> in lower case (for example <c>example.com</c>), or <see langword="null"/> when there is no valid address.</summary>
    public string? EmailDomain { get; private init; }

    /// <summary>The job title as the person wrote it (for example <c>VP Engineering</c>).</summary>
    public string? JobTitle { get; init; }

    /// <summary>The seniority (for example <c>VP</c>, <c>Director</c>, <c>Manager</c>).</summary>
    public string? Seniority { get; init; }

    /// <summary>The department (for example <c>Engineering</c>, <c>Marketing</c>).</summary>
    public string? Department { get; init; }

    /// <summary>The preferred language, as a BCP 47 tag or the CRM's own vocabulary (for example <c>en</c>).</summary>
    public string? Language { get; init; }

    /// <summary>Describes the profile without personal data.</summary>
    /// <returns>The job title, seniority and department only.</returns>
    public override string ToString() => $"PersonProfile {{ JobTitle = {JobTitle}, Seniority = {Seniority}, Department = {Department}, Language = {Language} }}";
}
