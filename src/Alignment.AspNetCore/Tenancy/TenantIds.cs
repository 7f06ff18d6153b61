namespace Alignment.AspNetCore.Tenancy;

/// <summary>
/// The rule for tenant ids: 1 to 48 characters, lowercase ASCII letters, digits, <c>-</c> and <c>_</c>, starting with a letter
/// or digit (so an id can name a folder as it is, and a PostgreSQL schema once <c>-</c> is escaped).
/// </summary>
public static class TenantIds
{
    /// <summary>The longest tenant id.</summary>
    public const int MaxLength = 48;

    /// <summary>Whether <paramref name="tenant"/> is a valid tenant id.</summary>
    /// <param name="tenant">The id.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool IsValid(string? tenant)
    {
        if (string.IsNullOrEmpty(tenant) || tenant.Length > MaxLength || !(char.IsAsciiLetterLower(tenant[0]) || char.IsAsciiDigit(tenant[0])))
        {
            return false;
        }

        foreach (char c in tenant)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws unless <paramref name="tenant"/> is a valid tenant id.</summary>
    /// <param name="tenant">The id.</param>
    /// <param name="paramName">The parameter's name, for the exception.</param>
    /// <exception cref="ArgumentException">The id is not valid; the message says the rule.</exception>
    public static void Check(string? tenant, string paramName)
    {
        if (!IsValid(tenant))
        {
            throw new ArgumentException($"'{tenant}' is not a valid tenant id: 1 to {MaxLength} characters, lowercase ASCII letters, digits, '-' and '_', starting with a letter or digit.", paramName);
        }
    }
}
