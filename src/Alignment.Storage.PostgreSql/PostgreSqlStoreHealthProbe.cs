using Alignment.Diagnostics;
using Npgsql;

namespace Alignment.Storage.PostgreSql;

/// <summary>
/// An <see cref="IStoreHealthProbe"/> for the PostgreSQL stores: healthy when the server answers and the schema is at
/// <see cref="PostgreSqlAlignmentSchema.ExpectedVersion"/>. Registered by every <c>UsePostgreSql…</c> call.
/// </summary>
public sealed class PostgreSqlStoreHealthProbe : IStoreHealthProbe
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;

    /// <summary>Creates the probe.</summary>
    /// <param name="dataSource">The connection source of the stores.</param>
    /// <param name="schema">The schema of the Alignment tables.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a plain lower-case identifier.</exception>
    public PostgreSqlStoreHealthProbe(NpgsqlDataSource dataSource, string schema = "alignment")
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        SchemaName.Validate(schema, nameof(schema));
        _dataSource = dataSource;
        _schema = schema;
    }

    /// <inheritdoc />
    public string Name => $"postgresql:{_schema}";

    /// <inheritdoc />
    public async ValueTask<StoreHealth> ProbeAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            int version = await PostgreSqlAlignmentSchema.GetVersionAsync(_dataSource, _schema, cancellationToken).ConfigureAwait(false);
            int expected = PostgreSqlAlignmentSchema.ExpectedVersion;
            return version == expected
                ? new StoreHealth(true, $"schema '{_schema}' at version {version}")
                : new StoreHealth(false, $"schema '{_schema}' at version {version}, expected {expected}: run PostgreSqlAlignmentSchema.MigrateAsync");
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return new StoreHealth(false, $"schema '{_schema}': the server did not answer ({e.GetType().Name}: {FirstLine(e.Message)})");
        }
    }

    private static string FirstLine(string message)
    {
        int nl = message.IndexOfAny(['\r', '\n']);
        return nl < 0 ? message : message[..nl];
    }
}
