namespace Alignment.AspNetCore.Tenancy;

/// <summary>The claims Alignment's HTTP endpoints read from the authenticated user.</summary>
public static class AlignmentClaims
{
    /// <summary>
    /// The claim that binds a request to its tenant: <c>alignment_tenant</c>. The API-key scheme sets it from the key's tenant;
    /// a JWT bearer token must carry it (the endpoints refuse an authenticated user without it, 403).
    /// </summary>
    public const string Tenant = "alignment_tenant";
}
