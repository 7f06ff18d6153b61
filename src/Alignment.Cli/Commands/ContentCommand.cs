using System.CommandLine;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Alignment.Cli.Output;
using Alignment.Segmentation.Collateral;
using Alignment.Storage.PostgreSql;
using Alignment.Storage.PostgreSql.Content;
using Npgsql;

namespace Alignment.Cli.Commands;

/// <summary>
/// <c>alignment content list|expiring|review|retire</c>: a tenant's sales content in a content folder (<c>--folder DIR</c>, its
/// <c>content.json</c>; <see cref="ContentFolder"/>) or in PostgreSQL (<c>--postgres [CONNECTION] [--schema S]</c>,
/// <see cref="PostgreSqlContentStore"/>). <c>list</c> shows every item with its status, last review, expiry and effectiveness;
/// <c>expiring</c> those expired or expiring within <c>--within</c> days (noting each expiry in the item's history); <c>review</c>
/// records a sales review (approve, send back with a reason, or still right as it is) and <c>retire</c> retires an item, both saved
/// back: a folder is rewritten whole through a temporary file, PostgreSQL item by item.
/// </summary>
/// <param name="time">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
/// <param name="environment">Reads an environment variable; <see cref="Environment.GetEnvironmentVariable(string)"/> when <see langword="null"/>.</param>
internal sealed class ContentCommand(TimeProvider? time = null, Func<string, string?>? environment = null) : ICliCommand
{
    /// <summary>The environment variable that holds the PostgreSQL connection string when <c>--postgres</c> is given without one.</summary>
    public const string ConnectionVariable = "ALIGNMENT_STORE_CONNECTION";

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Func<string, string?> _environment = environment ?? Environment.GetEnvironmentVariable;

    /// <inheritdoc />
    public Command Create(CliConsole console)
    {
        var folder = new Option<string>("--folder") { Description = $"The content folder: its {ContentFolder.FileName} holds the items, usages, deals and suggestions (created with the first change).", HelpName = "DIR", Recursive = true };
        var postgres = new Option<string>("--postgres")
        {
            Description = $"PostgreSQL content: the connection string, or nothing to read it from {ConnectionVariable}. The schema is migrated when needed.",
            HelpName = "CONNECTION",
            Arity = ArgumentArity.ZeroOrOne,
            Recursive = true,
        };
        var schema = new Option<string>("--schema") { Description = "With --postgres: the schema of the Alignment tables (default alignment).", HelpName = "NAME", DefaultValueFactory = _ => "alignment", Recursive = true };
        var tenant = new Option<string>("--tenant") { Description = "The tenant whose content it is (default: default).", HelpName = "T", DefaultValueFactory = _ => "default", Recursive = true };
        var expiry = CommandInputs.NumberOption<int>("--expiry-months", "N", "How many months after its last review an item expires (default 12).", n => n is >= 1 and <= 120, "a whole number from 1 to 120");
        expiry.Recursive = true;
        var command = new Command("content", "Lists sales content, what expires, and records sales reviews and retirements, in a content folder or PostgreSQL.")
        {
            folder, postgres, schema, tenant, expiry,
        };
        var target = new Target(folder, postgres, schema, tenant, expiry);

        var listFormat = CommandInputs.FormatOption();
        var list = new Command("list", "Every item: status, last review, expiry and effectiveness.") { listFormat };
        target.AddValidator(list);
        list.SetAction((parse, ct) => RunAsync(console, parse, target, save: false, (library, _) => Items(library, library.Items, parse.GetValue(listFormat) == "json", "items"), ct));

        var within = CommandInputs.NumberOption<int>("--within", "DAYS", "Also list the items expiring within this many days (default 30).", n => n is >= 0 and <= 3650, "a whole number from 0 to 3650");
        var expiringFormat = CommandInputs.FormatOption();
        var expiring = new Command("expiring", "The items expired or expiring soon, which need a review, a revision or retirement; notes each expiry in the item's history.") { within, expiringFormat };
        target.AddValidator(expiring);
        expiring.SetAction((parse, ct) => RunAsync(console, parse, target, save: true, (library, now) =>
        {
            library.ExpireDue();
            var horizon = now.AddDays(parse.GetValue(within) ?? 30);
            var soon = library.Items.Where(i => i.Status != CollateralStatus.Retired && i.ExpiresAt <= horizon).OrderBy(i => i.ExpiresAt).ThenBy(i => i.Id, StringComparer.Ordinal);
            return Items(library, [.. soon], parse.GetValue(expiringFormat) == "json", "expiring");
        }, ct));

        var reviewItem = new Argument<string>("ITEM") { Description = "The item's id." };
        var reviewer = new Option<string>("--reviewer") { Description = "The sales reviewer's name.", HelpName = "NAME", Required = true };
        var verdict = new Option<string>("--verdict") { Description = "approve (a pending item), send-back (a pending item, with --reason) or still-right (an approved item reviewed unchanged: its expiry moves out).", HelpName = "VERDICT", Required = true };
        verdict.AcceptOnlyFromAmong("approve", "send-back", "still-right");
        var reason = new Option<string>("--reason") { Description = "Why it is sent back (required with send-back).", HelpName = "TEXT" };
        var review = new Command("review", "Records a sales review of an item and saves it.") { reviewItem, reviewer, verdict, reason };
        target.AddValidator(review);
        review.Validators.Add(result =>
        {
            bool sendBack = result.GetResult(verdict) is { Tokens: [{ Value: "send-back" }] };
            bool withReason = result.GetResult(reason) is { Tokens: [{ Value: { } text }] } && !string.IsNullOrWhiteSpace(text);
            if (sendBack && !withReason)
            {
                result.AddError("--verdict send-back needs --reason.");
            }
        });
        review.SetAction((parse, ct) => RunAsync(console, parse, target, save: true, (library, _) =>
        {
            string id = parse.GetRequiredValue(reviewItem);
            var by = new Reviewer(parse.GetRequiredValue(reviewer), ReviewerRole.Sales);
            var item = parse.GetRequiredValue(verdict) switch
            {
                "approve" => library.Approve(id, by),
                "send-back" => library.Reject(id, by, parse.GetRequiredValue(reason)),
                _ => library.MarkReviewed(id, by.Name),
            };
            return $"{item.Id}: {ContentFolder.Name(item.Status)} (revision {item.Revision}), reviewed by {by.Name}; expires {Day(item.ExpiresAt)}{Environment.NewLine}";
        }, ct));

        var retireItem = new Argument<string>("ITEM") { Description = "The item's id." };
        var retireReason = new Option<string>("--reason") { Description = "Why it is retired.", HelpName = "TEXT", Required = true };
        var retiredBy = new Option<string>("--by") { Description = "Who retires it.", HelpName = "NAME" };
        var retire = new Command("retire", "Retires an item for good and saves it.") { retireItem, retireReason, retiredBy };
        target.AddValidator(retire);
        retire.SetAction((parse, ct) => RunAsync(console, parse, target, save: true, (library, _) =>
        {
            var item = library.Retire(parse.GetRequiredValue(retireItem), parse.GetValue(retiredBy), parse.GetRequiredValue(retireReason));
            return $"{item.Id}: retired ({item.History[^1].Reason}){Environment.NewLine}";
        }, ct));

        command.Subcommands.Add(list);
        command.Subcommands.Add(expiring);
        command.Subcommands.Add(review);
        command.Subcommands.Add(retire);
        return command;
    }

    private async Task<int> RunAsync(CliConsole console, ParseResult parse, Target target, bool save, Func<CollateralLibrary, DateTimeOffset, string> run, CancellationToken cancellationToken)
    {
        string tenant = parse.GetRequiredValue(target.Tenant);
        int months = parse.GetValue(target.ExpiryMonths) ?? 12;
        var now = _time.GetUtcNow();
        NpgsqlDataSource? dataSource = null;
        try
        {
            string output;
            if (parse.GetValue(target.Folder) is { } folder)
            {
                if (string.IsNullOrWhiteSpace(folder))
                {
                    throw new CliInputException("--folder needs a folder.");
                }

                var library = new CollateralLibrary(_time, months, ContentFolder.Read(folder));
                output = Act(library, run, now, Path.Combine(folder, ContentFolder.FileName));
                if (save)
                {
                    ContentFolder.Write(folder, library.ToSnapshot());
                }
            }
            else
            {
                string connection = parse.GetValue(target.Postgres) is { Length: > 0 } given ? given
                    : _environment(ConnectionVariable) is { Length: > 0 } variable ? variable
                    : throw new CliInputException($"--postgres has no connection string and {ConnectionVariable} is not set; give one of them.");
                string schema = parse.GetRequiredValue(target.Schema);
                PostgreSqlContentStore store;
                try
                {
                    dataSource = NpgsqlDataSource.Create(connection);
                    store = new PostgreSqlContentStore(dataSource, schema);
                }
                catch (ArgumentException e)
                {
                    throw new CliInputException($"--postgres/--schema: {e.Message}");
                }

                await PostgreSqlAlignmentSchema.MigrateAsync(dataSource, schema, cancellationToken).ConfigureAwait(false);
                var library = await CollateralLibrary.LoadAsync(store, tenant, _time, months, cancellationToken).ConfigureAwait(false);
                output = Act(library, run, now, $"PostgreSQL schema {schema}, tenant {tenant}");
                if (save)
                {
                    await library.FlushAsync(store, tenant, cancellationToken).ConfigureAwait(false);
                }
            }

            await console.Out.WriteAsync(TerminalText.EscapeLines(output)).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (ArgumentException e) when (e is not ArgumentNullException)
        {
            // Content the store holds but the library refuses (an item whose fields contradict each other).
            throw new CliInputException($"the content cannot be used: {e.Message}", e);
        }
        catch (DbException e)
        {
            throw new CliInputException($"the PostgreSQL content store failed: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new CliInputException($"the content folder cannot be written: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CliInputException($"the content folder cannot be written: {e.Message}", e);
        }
        finally
        {
            if (dataSource is not null)
            {
                await dataSource.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static string Act(CollateralLibrary library, Func<CollateralLibrary, DateTimeOffset, string> run, DateTimeOffset now, string source)
    {
        try
        {
            return run(library, now);
        }
        catch (KeyNotFoundException e)
        {
            throw new CliInputException(source, null, null, $"refused: {e.Message.TrimEnd('.')}; 'alignment content list' shows the items.");
        }
        catch (InvalidOperationException e)
        {
            throw new CliInputException(source, null, null, $"refused: {e.Message}");
        }
    }

    private static string Items(CollateralLibrary library, IReadOnlyList<CollateralItem> items, bool json, string name)
    {
        if (json)
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                w.WriteStartObject();
                w.WriteStartArray(name);
                foreach (var item in items)
                {
                    var e = library.GetEffectiveness(item.Id);
                    w.WriteStartObject();
                    w.WriteString("id", item.Id);
                    w.WriteString("title", item.Title);
                    w.WriteString("owner", item.Owner);
                    w.WriteString("status", ContentFolder.Name(item.Status));
                    w.WriteNumber("revision", item.Revision);
                    w.WriteString("lastReviewedAt", item.LastReviewedAt);
                    w.WriteString("expiresAt", item.ExpiresAt);
                    w.WriteNumber("usages", e.UsageCount);
                    w.WriteNumber("dealsWon", e.DealsWon);
                    w.WriteNumber("dealsLost", e.DealsLost);
                    if (e.WinRate is { } rate)
                    {
                        w.WriteNumber("winRate", Math.Round(rate, 6));
                    }
                    else
                    {
                        w.WriteNull("winRate");
                    }

                    w.WriteNumber("score", Math.Round(e.Score, 6));
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            return Encoding.UTF8.GetString(buffer.ToArray()) + Environment.NewLine;
        }

        var c = CultureInfo.InvariantCulture;
        var b = new StringBuilder();
        if (items.Count == 0)
        {
            return name == "items" ? "No content items." + Environment.NewLine : "Nothing expires in that time." + Environment.NewLine;
        }

        b.AppendLine("item                      status     rev  last review  expires     used  won  lost  win rate  score");
        foreach (var item in items)
        {
            var e = library.GetEffectiveness(item.Id);
            b.Append(c, $"{item.Id,-24}  {ContentFolder.Name(item.Status),-9}  {item.Revision,3}  {Day(item.LastReviewedAt),-11}  {Day(item.ExpiresAt),-10}  {e.UsageCount,4}  {e.DealsWon,3}  {e.DealsLost,4}  {(e.WinRate is { } r ? r.ToString("0.00", c) : "-"),8}  {e.Score,5:0.00}").AppendLine();
        }

        return b.ToString();
    }

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed record Target(Option<string> Folder, Option<string> Postgres, Option<string> Schema, Option<string> Tenant, Option<int?> ExpiryMonths)
    {
        public void AddValidator(Command command) => command.Validators.Add(result =>
        {
            bool folder = result.GetResult(Folder) is not null, database = result.GetResult(Postgres) is not null;
            if (folder == database)
            {
                result.AddError(folder ? "Give either --folder or --postgres, not both." : "Give the content: --folder DIR (a content folder) or --postgres [CONNECTION] (PostgreSQL).");
            }
            else if (!database && result.GetResult(Schema) is { Implicit: false })
            {
                result.AddError("--schema applies only with --postgres.");
            }
        });
    }
}
