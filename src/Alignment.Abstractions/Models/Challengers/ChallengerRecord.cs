using System.Collections.Immutable;

namespace Alignment.Models.Challengers;

/// <summary>
/// What a ledger holds for a tenant's current challenger: the attachment (with the champion the leads were scored beside) and every
/// lead scored beside it, ordered by lead id (ordinal).
/// </summary>
/// <param name="Attachment">The attachment.</param>
/// <param name="Leads">The leads, ordered by <see cref="Leads.LeadId.Value"/> (ordinal).</param>
public sealed record ChallengerRecord(ChallengerAttachment Attachment, ImmutableArray<ChallengerLead> Leads);
