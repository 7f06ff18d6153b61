namespace Alignment.Leads;

/// <summary>
/// A lead as the CRM hands it to Alignment: its identity, person and company profile, where it came from,
/// and the custom attributes the CRM defines. Alignment reads leads and reports decisions about them; it never owns them.
/// </summary>
/// <remarks>
/// Immutable and thread-safe. <see cref="ToString"/> identifies the lead by <see cref="Id"/> only, so that personal data
/// does not reach logs or exception messages. Activities are passed beside the lead (see <see cref="Activities.LeadActivity"/>)
/// because CRMs store them separately and scoring reads them as a span.
/// </remarks>
/// <param name="Id">The CRM's id of the lead.</param>
public sealed record Lead(LeadId Id)
{
    /// <summary>The account the lead belongs to, when the CRM has matched one.</summary>
    public AccountId? AccountId { get; init; }

    /// <summary>The person's attributes.</summary>
    /// <value>Defaults to <see cref="PersonProfile.Empty"/>.</value>
    public PersonProfile Person
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Person));
    } = PersonProfile.Empty;

    /// <summary>The company's attributes.</summary>
    /// <value>Defaults to <see cref="CompanyProfile.Empty"/>.</value>
    public CompanyProfile Company
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Company));
    } = CompanyProfile.Empty;

    /// <summary>The lead source (for example <c>Webinar</c>, <c>Trade Show</c>, <c>Organic Search</c>).</summary>
    public string? Source { get; init; }

    /// <summary>The campaign that created the lead, when known.</summary>
    public string? Campaign { get; init; }

    /// <summary>When the CRM captured the lead.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>The CRM's custom attributes, typed by an <see cref="AttributeSchema"/>.</summary>
    /// <value>Defaults to <see cref="LeadAttributes.Empty"/>.</value>
    public LeadAttributes Attributes
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Attributes));
    } = LeadAttributes.Empty;

    /// <summary>Identifies the lead by id only.</summary>
    /// <returns><c>Lead {Id}</c>.</returns>
    public override string ToString() => $"Lead {Id}";
}
