using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alignment.AspNetCore.Tenancy;

/// <summary>
/// Authenticates a request by its API key (<c>X-Api-Key: KEY</c> or <c>Authorization: ApiKey KEY</c>): the key's hash is
/// looked up in the <see cref="IApiKeyStore"/>, and the user gets the key's tenant as its <see cref="AlignmentClaims.Tenant"/>
/// claim. No key: no result (another scheme may authenticate). An unknown key: failure (401).
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? key = Request.Headers[AlignmentHttpDefaults.ApiKeyHeader].ToString();
        if (string.IsNullOrEmpty(key))
        {
            string authorization = Request.Headers.Authorization.ToString();
            key = authorization.StartsWith("ApiKey ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
        }

        if (string.IsNullOrEmpty(key))
        {
            return AuthenticateResult.NoResult();
        }

        if (key.Length > 512)
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        string? tenant = await keys.FindTenantAsync(ApiKeys.Hash(key), Context.RequestAborted).ConfigureAwait(false);
        if (tenant is null)
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        var identity = new ClaimsIdentity([new Claim(AlignmentClaims.Tenant, tenant), new Claim(ClaimTypes.Name, $"api-key:{tenant}")], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "ApiKey";
        return Task.CompletedTask;
    }
}
