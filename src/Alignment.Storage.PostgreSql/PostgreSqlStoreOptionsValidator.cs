using Microsoft.Extensions.Options;

namespace Alignment.Storage.PostgreSql;

/// <summary>Validates <see cref="PostgreSqlStoreOptions"/> without reflection, reporting every failure at once.</summary>
internal sealed class PostgreSqlStoreOptionsValidator : IValidateOptions<PostgreSqlStoreOptions>
{
    /// <summary>PostgreSQL keeps timeouts as whole milliseconds in an <c>int</c>; 0 would switch the limit off.</summary>
    private static readonly TimeSpan Max = TimeSpan.FromDays(24);

    public ValidateOptionsResult Validate(string? name, PostgreSqlStoreOptions options)
    {
        var result = new ValidateOptionsResultBuilder();
        Check(result, options.StatementTimeout, nameof(PostgreSqlStoreOptions.StatementTimeout));
        Check(result, options.LockTimeout, nameof(PostgreSqlStoreOptions.LockTimeout));
        if (options.MaxRetries is < 0 or > 10)
        {
            result.AddError($"must be between 0 and 10 (was {options.MaxRetries})", $"{nameof(PostgreSqlStoreOptions)}.{nameof(PostgreSqlStoreOptions.MaxRetries)}");
        }

        if (options.RetryDelay < TimeSpan.FromMilliseconds(1) || options.RetryDelay > TimeSpan.FromMinutes(1))
        {
            result.AddError($"must be between 1 millisecond and 1 minute (was {options.RetryDelay})", $"{nameof(PostgreSqlStoreOptions)}.{nameof(PostgreSqlStoreOptions.RetryDelay)}");
        }

        if (options.MaxDecisionsPerTransaction is < 1 or > 1000)
        {
            result.AddError($"must be between 1 and 1000 (was {options.MaxDecisionsPerTransaction})", $"{nameof(PostgreSqlStoreOptions)}.{nameof(PostgreSqlStoreOptions.MaxDecisionsPerTransaction)}");
        }

        return result.Build();
    }

    /// <summary>Throws an <see cref="ArgumentException"/> listing every failure, for stores constructed without DI.</summary>
    /// <param name="options">The options.</param>
    /// <param name="paramName">The caller's parameter name.</param>
    public static void ThrowIfInvalid(PostgreSqlStoreOptions options, string paramName)
    {
        var result = new PostgreSqlStoreOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new ArgumentException($"Invalid {nameof(PostgreSqlStoreOptions)}: {result.FailureMessage}", paramName);
        }
    }

    private static void Check(ValidateOptionsResultBuilder result, TimeSpan value, string property)
    {
        if (value < TimeSpan.FromMilliseconds(1) || value > Max)
        {
            result.AddError($"must be a positive duration between 1 millisecond and 24 days (was {value})", $"{nameof(PostgreSqlStoreOptions)}.{property}");
        }
    }
}
