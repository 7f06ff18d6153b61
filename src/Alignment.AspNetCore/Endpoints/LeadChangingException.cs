namespace Alignment.AspNetCore.Endpoints;

/// <summary>Other instances kept saving the same lead while an ingest tried to (answered with 409: try again).</summary>
internal sealed class LeadChangingException(string message) : Exception(message);
