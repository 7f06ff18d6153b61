namespace Alignment.AspNetCore.Endpoints;

/// <summary>A lead would keep more activities than allowed (answered with 413).</summary>
internal sealed class LeadTooLargeException(string message) : Exception(message);
