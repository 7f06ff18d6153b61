namespace Alignment.Storage.PostgreSql;

/// <summary>What every store needs for its schema: a checked name (schemas cannot be bound as parameters).</summary>
internal static class SchemaName
{
    /// <summary>Throws unless <paramref name="schema"/> is a plain lower-case identifier of at most 48 characters.</summary>
    /// <param name="schema">The schema name.</param>
    /// <param name="paramName">The caller's parameter name.</param>
    /// <exception cref="ArgumentException">The name is empty or not a plain identifier.</exception>
    public static void Validate(string schema, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(schema, paramName);
        if (schema.Length > 48 || !schema.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_') || char.IsDigit(schema[0]))
        {
            throw new ArgumentException($"Schema '{schema}' must be a lower-case identifier (a-z, 0-9, _), at most 48 characters.", paramName);
        }
    }
}
