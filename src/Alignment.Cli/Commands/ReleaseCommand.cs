using System.Collections.Immutable;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Alignment.Cli.Output;
using Alignment.Models;
using Alignment.Segmentation.Rules;
using Alignment.Segmentation.Governance;
using Alignment.Policies.Nurture;
using Alignment.Policies.Handoff;
using Alignment.Models.Registry;
using Alignment.Storage.PostgreSql.Models;
using Npgsql;

namespace Alignment.Cli.Commands;

/// <summary>
/// <c>alignment release publish|approve|activate|rollback|status</c>: the life cycle of model releases in a model registry, a
/// folder (<c>--registry DIR</c>, <see cref="FileModelRegistry"/>) or a PostgreSQL schema (<c>--postgres [CONNECTION]</c> with
/// <c>--schema</c>, <see cref="PostgreSqlModelRegistry"/>; without a value the connection string comes from
/// <see cref="ConnectionVariable"/>, so no password sits on the command line).
/// </summary>
/// <remarks>
/// What the registry refuses (an activation without both approvals of the current content, one person for both sides, an
/// approval of edited content or of a hash other than <c>--hash</c>, a rollback with nothing before, an unknown release) is
/// written to standard error without a stack trace and exits with <see cref="ExitCodes.BadInput"/>.
/// </remarks>
/// <param name="time">The clock that dates approvals and activations; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
/// <param name="environment">Reads an environment variable; <see cref="Environment.GetEnvironmentVariable(string)"/> when <see langword="null"/>.</param>
internal sealed class ReleaseCommand(TimeProvider? time = null, Func<string, string?>? environment = null) : ICliCommand
{
    /// <summary>The environment variable that holds the PostgreSQL connection string when <c>--postgres</c> is given without one.</summary>
    public const string ConnectionVariable = "ALIGNMENT_REGISTRY_CONNECTION";

    /// <summary>The kinds of model, as the command spells them.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["scoring", "segmentation", "routing", "nurture"];

    /// <summary>The shortest <c>--hash</c> prefix accepted.</summary>
    public const int MinHashPrefix = 6;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Func<string, string?> _environment = environment ?? Environment.GetEnvironmentVariable;

    /// <inheritdoc />
    public Command Create(CliConsole console)
    {
        var registry = new Option<string>("--registry") { Description = "The registry folder (created with the first change): releases, approvals and history kept in files.", HelpName = "DIR", Recursive = true };
        var postgres = new Option<string>("--postgres")
        {
            Description = $"A PostgreSQL registry: the connection string, or nothing to read it from {ConnectionVariable} (keeps the password off the command line). The schema must be migrated (hosts do it at start-up).",
            HelpName = "CONNECTION",
            Arity = ArgumentArity.ZeroOrOne,
            Recursive = true,
        };
        var schema = new Option<string>("--schema") { Description = "With --postgres: the schema of the Alignment tables (default alignment).", HelpName = "NAME", DefaultValueFactory = _ => "alignment", Recursive = true };
        var tenant = new Option<string>("--tenant") { Description = "The tenant or business unit.", HelpName = "T", Required = true, Recursive = true };
        var command = new Command("release", "Publishes, approves, activates and rolls back model releases in a registry folder or PostgreSQL, and shows their status.")
        {
            registry, postgres, schema, tenant,
        };
        var target = new RegistryOptions(registry, postgres, schema, tenant);
        command.Subcommands.Add(Publish(console, target));
        command.Subcommands.Add(Approve(console, target));
        command.Subcommands.Add(Activate(console, target));
        command.Subcommands.Add(Rollback(console, target));
        command.Subcommands.Add(Status(console, target));
        return command;
    }

    private sealed record RegistryOptions(Option<string> Registry, Option<string> Postgres, Option<string> Schema, Option<string> Tenant)
    {
        public void AddValidator(Command command) => command.Validators.Add(result =>
        {
            bool folder = result.GetResult(Registry) is not null, database = result.GetResult(Postgres) is not null;
            if (folder == database)
            {
                result.AddError(folder ? "Give either --registry or --postgres, not both." : "Give the registry: --registry DIR (a folder) or --postgres [CONNECTION] (PostgreSQL).");
            }
            else if (!database && result.GetResult(Schema) is { Implicit: false })
            {
                result.AddError("--schema applies only with --postgres.");
            }
        });
    }

    /// <summary>The options that name one release: <c>--kind</c>, <c>--id</c> and <c>--version</c> (the tenant is the command's).</summary>
    private sealed record KeyOptions
    {
        public Option<string> Kind { get; } = KindOption(required: true, "The kind of model: " + string.Join(", ", Kinds) + ".");

        public Option<string> Id { get; } = Text("--id", "ID", "The model's id.");

        public Option<string> Version { get; } = Text("--version", "V", "The model's version.");

        public ReleaseKey Key(ParseResult parse, string tenant) =>
            new(tenant, ParseKind(parse.GetRequiredValue(Kind)), parse.GetRequiredValue(Id), parse.GetRequiredValue(Version));
    }

    private static Option<string> KindOption(bool required, string description)
    {
        var kind = new Option<string>("--kind") { Description = description, HelpName = "KIND", Required = required };
        kind.AcceptOnlyFromAmong([.. Kinds]);
        return kind;
    }

    private static Option<string> Text(string name, string helpName, string description) => new(name) { Description = description, HelpName = helpName, Required = true };

    private Command Publish(CliConsole console, RegistryOptions target)
    {
        var file = new Argument<string>("FILE") { Description = "A release file (model and approvals) or a model file." };
        var kind = KindOption(required: false, "What the file holds: scoring (the default; a model or a release with approvals), segmentation (a model), routing (a release: version, policy and roster) or nurture (a policy).");
        var limits = CommandInputs.LimitOption();
        var command = new Command("publish", "Puts a release file into the registry (an inactive release with the same id and version is replaced, voiding its approvals); the file's approvals of this content are recorded too.")
        {
            file, kind, limits,
        };
        target.AddValidator(command);
        command.SetAction((parse, ct) => RunAsync(console, parse, target, async (registry, tenant) =>
        {
            string path = parse.GetRequiredValue(file);
            var (release, approvals) = ReadRelease(path, ParseKind(parse.GetValue(kind) ?? "scoring"), tenant, parse.GetRequiredValue(limits));
            var before = await registry.FindAsync(release.Key, ct).ConfigureAwait(false);
            var stored = await registry.PublishAsync(release, ct).ConfigureAwait(false);
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"published {Describe(stored.Key)}: content {Short(stored.ContentHash)}");
            if (before is not null)
            {
                text.Append(before.ContentHash == stored.ContentHash ? " (unchanged)" : $" (replaces content {Short(before.ContentHash)}; the approvals of that content are void)");
            }

            text.AppendLine();
            foreach (var approval in approvals)
            {
                if (approval.ContentHash != stored.ContentHash)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"not imported: the {ModelSide(approval.Side)} approval by {approval.ApprovedBy} is for earlier content {Short(approval.ContentHash)}");
                    continue;
                }

                try
                {
                    stored = await registry.ApproveAsync(stored.Key, approval, ct).ConfigureAwait(false);
                    text.AppendLine(CultureInfo.InvariantCulture, $"imported: the {ModelSide(approval.Side)} approval by {approval.ApprovedBy} of {approval.ApprovedAt:yyyy-MM-dd'T'HH:mm:ssK}");
                }
                catch (Exception e) when (e is InvalidOperationException or ArgumentException)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"not imported: the {ModelSide(approval.Side)} approval by {approval.ApprovedBy}: {Message(e)}");
                }
            }

            AppendReadiness(text, stored);
            return text.ToString();
        }, ct));
        return command;
    }

    private Command Approve(CliConsole console, RegistryOptions target)
    {
        var release = new KeyOptions();
        var by = Text("--by", "NAME", "Who approves, one spelling per person (as the host identifies people).");
        var side = new Option<string>("--side") { Description = "The side the approver speaks for: marketing or sales.", HelpName = "SIDE", Required = true };
        side.AcceptOnlyFromAmong("marketing", "sales");
        var hash = new Option<string>("--hash") { Description = $"The content hash you reviewed, or its first {MinHashPrefix} or more hex digits: refused unless the release's content is still that one.", HelpName = "PREFIX" };
        var comment = new Option<string>("--comment") { Description = "A remark kept with the approval.", HelpName = "TEXT" };
        var command = new Command("approve", "Approves the current content of a release for one side (marketing or sales); activation needs both, by two people.")
        {
            release.Kind, release.Id, release.Version, by, side, hash, comment,
        };
        target.AddValidator(command);
        command.SetAction((parse, ct) => RunAsync(console, parse, target, async (registry, tenant) =>
        {
            var key = release.Key(parse, tenant);
            var stored = await Require(registry, key, ct).ConfigureAwait(false);
            if (parse.GetValue(hash) is { } prefix)
            {
                string wanted = prefix.Trim().ToLowerInvariant();
                if (wanted.Length < MinHashPrefix || wanted.Length > 64 || !wanted.All(char.IsAsciiHexDigit))
                {
                    throw new CliInputException($"--hash '{prefix}' is not a content hash or a prefix of at least {MinHashPrefix} hex digits of one.");
                }

                if (!stored.ContentHash.StartsWith(wanted, StringComparison.Ordinal))
                {
                    throw new CliInputException($"refused: {Describe(key)} has content {Short(stored.ContentHash)}, not the {wanted} you reviewed (it was edited since, or the hash is of another release); review the current content and approve it with its hash.");
                }
            }

            var approvalSide = parse.GetRequiredValue(side) == "sales" ? ApprovalSide.Sales : ApprovalSide.Marketing;
            var approval = new ModelApproval(parse.GetRequiredValue(by), approvalSide, _time.GetUtcNow(), stored.ContentHash) { Comment = parse.GetValue(comment) };
            var approved = await registry.ApproveAsync(key, approval, ct).ConfigureAwait(false);
            var text = new StringBuilder().AppendLine(CultureInfo.InvariantCulture, $"approved content {Short(approved.ContentHash)} of {Describe(key)} for {ModelSide(approvalSide)} by {approval.ApprovedBy}");
            AppendReadiness(text, approved);
            return text.ToString();
        }, ct));
        return command;
    }

    private Command Activate(CliConsole console, RegistryOptions target)
    {
        var release = new KeyOptions();
        var by = Text("--by", "NAME", "Who activates it.");
        var reason = Text("--reason", "TEXT", "Why, for the history.");
        var command = new Command("activate", "Makes a release the active one of its tenant and kind, if marketing and sales (two people) approved its current content.")
        {
            release.Kind, release.Id, release.Version, by, reason,
        };
        target.AddValidator(command);
        command.SetAction((parse, ct) => RunAsync(console, parse, target, async (registry, tenant) =>
        {
            var key = release.Key(parse, tenant);
            var stored = await Require(registry, key, ct).ConfigureAwait(false);
            if (!stored.ActivationProblems.IsEmpty)
            {
                throw Refused($"cannot activate {Describe(key)} (content {Short(stored.ContentHash)})", stored.ActivationProblems);
            }

            var before = await registry.GetActiveAsync(tenant, key.Kind, ct).ConfigureAwait(false);
            var activation = await registry.ActivateAsync(key, parse.GetRequiredValue(by), parse.GetRequiredValue(reason), ct).ConfigureAwait(false);
            return before is not null && before.Sequence == activation.Sequence
                ? $"already active: {Describe(key)}, content {Short(activation.ContentHash)}, since #{activation.Sequence} by {activation.ActivatedBy} at {Instant(activation.At)}; nothing changed\n"
                : $"activated {Describe(key)}, content {Short(activation.ContentHash)} (history #{activation.Sequence}{(before is null ? string.Empty : $", replaces {before.Key.Id}@{before.Key.Version}")})\n";
        }, ct));
        return command;
    }

    private Command Rollback(CliConsole console, RegistryOptions target)
    {
        var kind = KindOption(required: true, "The kind of model: " + string.Join(", ", Kinds) + ".");
        var by = Text("--by", "NAME", "Who rolls back.");
        var reason = Text("--reason", "TEXT", "Why, for the history (for example: MQL volume collapsed).");
        var command = new Command("rollback", "Undoes the latest activation not undone yet: the release active before it becomes active again (never one rolled back from). Run again with the same --by and --reason, it changes nothing.")
        {
            kind, by, reason,
        };
        target.AddValidator(command);
        command.SetAction((parse, ct) => RunAsync(console, parse, target, async (registry, tenant) =>
        {
            var modelKind = ParseKind(parse.GetRequiredValue(kind));
            var before = await registry.GetActiveAsync(tenant, modelKind, ct).ConfigureAwait(false);
            ModelActivation back;
            try
            {
                back = await registry.RollbackAsync(tenant, modelKind, parse.GetRequiredValue(by), parse.GetRequiredValue(reason), ct).ConfigureAwait(false);
            }
            catch (ModelNotPublishableException e)
            {
                throw Refused($"cannot roll back the {KindName(modelKind)} model of tenant '{tenant}': the approvals of the release active before no longer hold", e.Problems);
            }

            if (before is not null && before.Sequence == back.Sequence)
            {
                return $"already rolled back: the {KindName(modelKind)} model of tenant '{tenant}' is {back.Key.Id}@{back.Key.Version}, content {Short(back.ContentHash)} (history #{back.Sequence}, by {back.ActivatedBy}: {back.Reason}); nothing changed\n";
            }

            return $"rolled back the {KindName(modelKind)} model of tenant '{tenant}' from {before!.Key.Id}@{before.Key.Version} to {back.Key.Id}@{back.Key.Version}, content {Short(back.ContentHash)} (history #{back.Sequence})\n";
        }, ct));
        return command;
    }

    private Command Status(CliConsole console, RegistryOptions target)
    {
        var kind = KindOption(required: false, "Only this kind of model (default: every kind).");
        var id = new Option<string>("--id") { Description = "Also show this release (with --version): its approvals, valid or void, and what blocks its activation.", HelpName = "ID" };
        var version = new Option<string>("--version") { Description = "The version of the release --id names.", HelpName = "V" };
        var format = CommandInputs.FormatOption("text");
        var command = new Command("status", "Shows the active release of each kind with its approvals, what blocks a release's activation, and the history, newest first.")
        {
            kind, id, version, format,
        };
        target.AddValidator(command);
        command.Validators.Add(result =>
        {
            if ((result.GetResult(id) is null) != (result.GetResult(version) is null))
            {
                result.AddError("--id and --version go together.");
            }
            else if (result.GetResult(id) is not null && result.GetResult(kind) is null)
            {
                result.AddError("--id needs --kind.");
            }
        });
        command.SetAction((parse, ct) => RunAsync(console, parse, target, async (registry, tenant) =>
        {
            var kinds = parse.GetValue(kind) is { } k ? [ParseKind(k)] : Enum.GetValues<ModelKind>();
            var report = new List<ReleaseKindStatus>();
            foreach (var modelKind in kinds)
            {
                var history = await registry.GetHistoryAsync(tenant, modelKind, ct).ConfigureAwait(false);
                var active = history.Count > 0 ? await registry.FindAsync(history[^1].Key, ct).ConfigureAwait(false) : null;
                ModelRelease? named = null;
                if (parse.GetValue(id) is { } releaseId)
                {
                    var key = new ReleaseKey(tenant, modelKind, releaseId, parse.GetRequiredValue(version));
                    named = await Require(registry, key, ct).ConfigureAwait(false);
                }

                report.Add(new ReleaseKindStatus(modelKind, history, active, named));
            }

            return parse.GetValue(format) == "json" ? ReleaseStatusOutput.Json(tenant, report) : ReleaseStatusOutput.Text(tenant, report);
        }, ct));
        return command;
    }

    /// <summary>
    /// Reads a release file of a kind as the registry keeps it, with the approvals the file carries. The one place that knows how
    /// each kind's content and content hash are read: a kind without a content hash yet is refused here.
    /// </summary>
    /// <summary>Makes the release of a kind whose release is the model file itself, its problems at their JSON path.</summary>
    private static ModelRelease Created(string path, string what, Func<ModelRelease> create)
    {
        try
        {
            return create();
        }
        catch (ModelException e)
        {
            throw CommandInputs.Invalid(path, what, e.Errors.Select(x => (x.Path, CommandInputs.Text(x))));
        }
        catch (ArgumentException e)
        {
            throw new CliInputException(path, null, "$", $"the registry cannot keep this {what}: {Message(e)}");
        }
    }

    private static (ModelRelease Release, ImmutableArray<ModelApproval> Approvals) ReadRelease(string path, ModelKind kind, string tenant, ModelReadLimits limits)
    {
        switch (kind)
        {
            case ModelKind.Scoring:
                var scoring = CommandInputs.LoadScoringRelease(path, "FILE", limits);
                try
                {
                    return (scoring.ToModelRelease(tenant), scoring.Approvals);
                }
                catch (ArgumentException e)
                {
                    throw new CliInputException(path, null, "$", $"the registry cannot keep this release: {Message(e)}");
                }

            case ModelKind.Routing:
                string json = CommandInputs.ReadAllText(path, "FILE", limits);
                if (!RoutingRelease.TryParse(json, new ModelLoadOptions { Document = path, Limits = limits }, out var routing, out var errors))
                {
                    throw CommandInputs.Invalid(path, "routing release", errors.Select(x => (x.Path, CommandInputs.Text(x))));
                }

                return (routing.ToModelRelease(tenant), []);

            case ModelKind.Segmentation:
                // Checked against the attributes the model itself implies (as `segment` does); the host compiles it against its own schema.
                return (Created(path, "segmentation model", () =>
                {
                    string json = CommandInputs.ReadAllText(path, "FILE", limits);
                    var schema = SegmentationInputs.InferSchema(SegmentationModelLoader.ReadDocument(json, limits));
                    return SegmentationReleaseLoader.CreateRelease(tenant, json, new SegmentationLoadOptions { Document = path, Schema = schema, Limits = limits });
                }), []);

            case ModelKind.Nurture:
                return (Created(path, "nurture policy", () => NurtureReleaseLoader.CreateRelease(tenant, CommandInputs.ReadAllText(path, "FILE", limits), new ModelLoadOptions { Document = path, Limits = limits })), []);

            default:
                throw new CliInputException(path, null, "--kind", $"model kind {(int)kind} is not defined");
        }
    }

    private async Task<int> RunAsync(CliConsole console, ParseResult parse, RegistryOptions target, Func<IModelRegistry, string, Task<string>> run, CancellationToken cancellationToken)
    {
        string tenant = parse.GetRequiredValue(target.Tenant);
        if (string.IsNullOrWhiteSpace(tenant))
        {
            throw new CliInputException("--tenant is empty.");
        }

        NpgsqlDataSource? dataSource = null;
        try
        {
            IModelRegistry registry;
            if (parse.GetResult(target.Registry) is not null)
            {
                string folder = parse.GetValue(target.Registry) is { Length: > 0 } dir ? dir : throw new CliInputException("--registry needs a folder.");
                registry = new FileModelRegistry(folder, _time);
            }
            else
            {
                string connection = parse.GetValue(target.Postgres) is { Length: > 0 } given ? given
                    : _environment(ConnectionVariable) is { Length: > 0 } variable ? variable
                    : throw new CliInputException($"--postgres has no connection string and {ConnectionVariable} is not set; give one of them.");
                string schema = parse.GetRequiredValue(target.Schema);
                try
                {
                    dataSource = NpgsqlDataSource.Create(connection);
                    registry = new PostgreSqlModelRegistry(dataSource, schema, timeProvider: _time);
                }
                catch (ArgumentException e)
                {
                    throw new CliInputException($"--postgres/--schema: {Message(e)}");
                }
            }

            string output = await run(registry, tenant).ConfigureAwait(false);
            await console.Out.WriteAsync(TerminalText.EscapeLines(output)).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (KeyNotFoundException e)
        {
            throw new CliInputException($"refused: {e.Message} Publish it first ('alignment release publish FILE --tenant {tenant}').", e);
        }
        catch (ModelNotPublishableException e)
        {
            throw Refused("refused", e.Problems);
        }
        catch (InvalidOperationException e)
        {
            throw new CliInputException($"refused: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new CliInputException($"refused: {Message(e)}", e);
        }
        catch (InvalidDataException e)
        {
            throw new CliInputException($"the registry is damaged: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CliInputException($"the registry folder cannot be used: {e.Message} (the registry takes a lock file beside each tenant's file, so even reading needs write access to the folder)", e);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            throw new CliInputException($"the PostgreSQL schema '{parse.GetValue(target.Schema)}' holds no model registry ({e.MessageText}); migrate it first (PostgreSqlAlignmentSchema.MigrateAsync, which hosts run at start-up).", e);
        }
        catch (DbException e)
        {
            throw new CliInputException($"the PostgreSQL registry failed: {e.Message}", e);
        }
        finally
        {
            if (dataSource is not null)
            {
                await dataSource.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<ModelRelease> Require(IModelRegistry registry, ReleaseKey key, CancellationToken ct) =>
        await registry.FindAsync(key, ct).ConfigureAwait(false) ?? throw new KeyNotFoundException($"{Describe(key)} was never published to this registry.");

    private static void AppendReadiness(StringBuilder text, ModelRelease release)
    {
        var problems = release.ActivationProblems;
        text.AppendLine(problems.IsEmpty
            ? "ready to activate: marketing and sales approved this content"
            : "not ready to activate: " + string.Join("; ", problems));
    }

    private static CliInputException Refused(string what, ImmutableArray<string> problems) =>
        new($"{what}:{Environment.NewLine}" + string.Join(Environment.NewLine, problems.Select(p => "  " + p)));

    private static string Message(Exception e) => e is ArgumentException { ParamName: { } name } && e.Message.EndsWith($" (Parameter '{name}')", StringComparison.Ordinal)
        ? e.Message[..^$" (Parameter '{name}')".Length]
        : e.Message;

    private static ModelKind ParseKind(string kind) => kind switch
    {
        "segmentation" => ModelKind.Segmentation,
        "routing" => ModelKind.Routing,
        "nurture" => ModelKind.Nurture,
        _ => ModelKind.Scoring,
    };

    internal static string KindName(ModelKind kind) => Kinds[(int)kind];

    internal static string ModelSide(ApprovalSide side) => side == ApprovalSide.Sales ? "sales" : "marketing";

    private static string Describe(ReleaseKey key) => $"{KindName(key.Kind)} model {key.Id}@{key.Version} of tenant '{key.Tenant}'";

    internal static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;

    internal static string Instant(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);
}
