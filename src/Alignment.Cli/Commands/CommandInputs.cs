using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;
using System.Text;
using Alignment.Cli.Csv;
using Alignment.Models;
using Alignment.Scoring;
using Alignment.Scoring.Definitions;
using Alignment.Scoring.Governance;

namespace Alignment.Cli.Commands;

/// <summary>Options, file access and error translation shared by the commands.</summary>
internal static class CommandInputs
{
    /// <summary>The instant formats accepted in options and files (ISO 8601; no offset means UTC).</summary>
    public static readonly string[] InstantFormats =
        ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ssK"];

    /// <summary>Creates an option that names a file.</summary>
    /// <param name="name">The option, for example <c>--model</c>.</param>
    /// <param name="helpName">The placeholder in help, for example <c>M.json</c>.</param>
    /// <param name="description">What the file is.</param>
    /// <param name="required">Whether the option must be given.</param>
    /// <returns>The option.</returns>
    public static Option<string> FileOption(string name, string helpName, string description, bool required = true) =>
        new(name) { Description = description, HelpName = helpName, Required = required };

    /// <summary>Creates the <c>--out</c> option: a file to write instead of standard output.</summary>
    /// <param name="helpName">The placeholder in help.</param>
    /// <returns>The option.</returns>
    public static Option<string> OutOption(string helpName) =>
        new("--out")
        {
            Description = "Write the result to this file instead of standard output: written in full or not at all (a temporary file in the same " +
                "folder, renamed over it), keeping an existing file's permissions (a new file is private to you). A symbolic link is refused.",
            HelpName = helpName,
        };

    /// <summary>Creates the <c>--format</c> option (<c>table</c> or <c>json</c>, or <c>text</c> or <c>json</c>).</summary>
    /// <param name="first">The default and first choice.</param>
    /// <returns>The option.</returns>
    public static Option<string> FormatOption(string first = "table")
    {
        var option = new Option<string>("--format")
        {
            Description = $"The output format: {first} (for people) or json (for machines).",
            DefaultValueFactory = _ => first,
        };
        option.AcceptOnlyFromAmong(first, "json");
        return option;
    }

    /// <summary>Creates an option holding an ISO 8601 instant; a malformed value is a usage error.</summary>
    /// <param name="name">The option.</param>
    /// <param name="description">What the instant is.</param>
    /// <returns>The option.</returns>
    public static Option<DateTimeOffset?> InstantOption(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "T",
        CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (TryParseInstant(text, out var value))
            {
                return value;
            }

            result.AddError($"'{text}' is not an ISO 8601 date or instant for {name} (for example 2026-03-01 or 2026-03-01T12:00:00Z).");
            return null;
        },
    };

    /// <summary>Creates an option holding a number that must meet a condition; a malformed or out-of-range value is a usage error.</summary>
    /// <typeparam name="T">The number type.</typeparam>
    /// <param name="name">The option.</param>
    /// <param name="helpName">The placeholder in help.</param>
    /// <param name="description">What the value is.</param>
    /// <param name="valid">Whether a parsed value is allowed.</param>
    /// <param name="expected">What is allowed, for the error (for example <c>a whole number of at least 1</c>).</param>
    /// <returns>The option.</returns>
    public static Option<T?> NumberOption<T>(string name, string helpName, string description, Func<T, bool> valid, string expected)
        where T : struct, INumber<T> => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (T.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out T value) && valid(value))
            {
                return value;
            }

            result.AddError($"{name} must be {expected} (was '{text}').");
            return null;
        },
    };

    /// <summary>The names <c>--limit</c> takes, as <see cref="ModelJsonGuard"/>'s messages spell them.</summary>
    public static IReadOnlyList<string> LimitNames { get; } = ["maxBytes", "maxDepth", "maxObjects", "maxArrayLength", "maxStringLength"];

    /// <summary>
    /// Creates the repeatable <c>--limit NAME=N</c> option of the commands that read models, policies, rosters or releases: it
    /// raises (or lowers) one of the <see cref="ModelReadLimits"/> every such file of the command is read with. A bad name or
    /// value is a usage error.
    /// </summary>
    /// <returns>The option; its value is one <see cref="ModelReadLimits"/>, the defaults when the option is not given.</returns>
    public static Option<ModelReadLimits> LimitOption() => new("--limit")
    {
        Description = string.Create(
            CultureInfo.InvariantCulture,
            $"Raise a limit on the model, policy, roster or release files read (repeatable): maxBytes (default {ModelReadLimits.DefaultMaxBytes:N0}), " +
            $"maxDepth ({ModelReadLimits.DefaultMaxDepth}), maxObjects ({ModelReadLimits.DefaultMaxObjects:N0}), maxArrayLength ({ModelReadLimits.DefaultMaxArrayLength:N0}), " +
            $"maxStringLength ({ModelReadLimits.DefaultMaxStringLength:N0}). Raise one only for files you trust."),
        HelpName = "NAME=N",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => new ModelReadLimits(),
        CustomParser = ParseLimits,
    };

    private static ModelReadLimits ParseLimits(ArgumentResult result)
    {
        var limits = new ModelReadLimits();
        foreach (var token in result.Tokens)
        {
            string text = token.Value;
            int eq = text.IndexOf('=', StringComparison.Ordinal);
            string name = eq < 0 ? text : text[..eq].Trim();
            string value = eq < 0 ? string.Empty : text[(eq + 1)..].Trim();
            string? known = LimitNames.FirstOrDefault(n => n.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (eq < 0 || known is null)
            {
                result.AddError($"--limit takes NAME=N with NAME one of {string.Join(", ", LimitNames)} (was '{text}').");
                continue;
            }

            long max = known switch { "maxBytes" => long.MaxValue, "maxDepth" => 1_000, _ => int.MaxValue };
            if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long n) || n < 1 || n > max)
            {
                string range = max == long.MaxValue ? "of at least 1" : string.Create(CultureInfo.InvariantCulture, $"from 1 to {max:N0}");
                result.AddError($"--limit {known} must be a whole number {range} (was '{value}').");
                continue;
            }

            switch (known)
            {
                case "maxBytes": limits.MaxBytes = n; break;
                case "maxDepth": limits.MaxDepth = (int)n; break;
                case "maxObjects": limits.MaxObjects = (int)n; break;
                case "maxArrayLength": limits.MaxArrayLength = (int)n; break;
                default: limits.MaxStringLength = (int)n; break;
            }
        }

        return limits;
    }

    /// <summary>Parses an ISO 8601 date or instant; no offset means UTC.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The instant.</param>
    /// <returns>Whether the text is an instant.</returns>
    public static bool TryParseInstant(string? text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text?.Trim(), InstantFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);

    /// <summary>Splits a comma-separated list option (<c>a,b,c</c>), trimming and dropping empty entries.</summary>
    /// <param name="text">The option value, or <see langword="null"/>.</param>
    /// <returns>The items, or <see langword="null"/> when the option was not given.</returns>
    public static string[]? SplitList(string? text) =>
        text?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Reads a whole model, policy, roster or release file named on the command line, reading at most
    /// <see cref="ModelReadLimits.MaxBytes"/> + 1 bytes: a bigger file, a device such as <c>/dev/zero</c> or a pipe that never
    /// ends is refused, never read into memory.
    /// </summary>
    /// <param name="path">The path as the user gave it.</param>
    /// <param name="option">The option or argument that named it.</param>
    /// <param name="limits">The limits the command reads its files with (<see cref="LimitOption"/>).</param>
    /// <returns>The text (UTF-8, or the encoding its byte order mark names).</returns>
    /// <exception cref="CliInputException">The file does not exist, cannot be read, or is over the limit (the message names it and how to raise it).</exception>
    public static string ReadAllText(string path, string option, ModelReadLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        long maxBytes = limits.MaxBytes;
        try
        {
            // No Length: a pipe or a device has none, and a file can grow while it is read. Count what is read instead.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            using var buffer = new MemoryStream();
            byte[] chunk = new byte[64 * 1024];
            long total = 0;
            int read;
            while ((read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length - 1, maxBytes - total) + 1)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    throw new CliInputException(path, null, option, ModelJsonGuard.TooLarge(maxBytes, maxBytes, atLeast: true).Message);
                }

                buffer.Write(chunk, 0, read);
            }

            buffer.Position = 0;
            using var reader = new StreamReader(buffer, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return reader.ReadToEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw NotReadable(path, option, e);
        }
    }

    /// <summary>Opens a text file named on the command line for streaming.</summary>
    /// <param name="path">The path as the user gave it.</param>
    /// <param name="option">The option or argument that named it.</param>
    /// <returns>The reader.</returns>
    /// <exception cref="CliInputException">The file does not exist or cannot be read.</exception>
    public static StreamReader OpenText(string path, string option)
    {
        try
        {
            return new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16 });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw NotReadable(path, option, e);
        }
    }

    /// <summary>Reads a scoring model file or a release file (model plus approvals).</summary>
    /// <param name="path">The file.</param>
    /// <param name="option">The option that named it.</param>
    /// <param name="limits">The limits the command reads its files with (<see cref="LimitOption"/>).</param>
    /// <returns>The release (a plain model has no approvals).</returns>
    /// <exception cref="CliInputException">The file is missing or over a limit, or the model invalid: every problem with its JSON path.</exception>
    public static ScoringModelRelease LoadScoringRelease(string path, string option, ModelReadLimits limits)
    {
        string json = ReadAllText(path, option, limits);
        try
        {
            return ScoringModelReleaseJson.Parse(json, path, limits);
        }
        catch (ModelException e)
        {
            throw Invalid(path, "scoring model", e.Errors.Select(x => (x.Path, Text(x))));
        }
    }

    /// <summary>Compiles scoring model definitions against one attribute schema (every attribute any of them declares).</summary>
    /// <param name="plugins">The plugin rules given with <c>--plugin</c> (<see cref="PluginRules.None"/> without); created once, with the schema.</param>
    /// <param name="files">Each definition with the file it came from.</param>
    /// <returns>The schema and the compiled models, in order.</returns>
    /// <exception cref="CliInputException">
    /// Two models declare an attribute with different types, a plugin rule cannot be created or two share a name, or a model does
    /// not compile (for example it refers to a plugin rule that no <c>--plugin</c> assembly has).
    /// </exception>
    public static (Alignment.Leads.AttributeSchema Schema, ScoringModel[] Models) CompileScoringModels(PluginRules plugins, params (ScoringModelDefinition Definition, string File)[] files) =>
        CompileScoringModels(plugins, out _, files);

    /// <summary>Compiles scoring model definitions against one attribute schema, and gives the plugin rules it created.</summary>
    /// <param name="plugins">The plugin rules given with <c>--plugin</c> (<see cref="PluginRules.None"/> without); created once, with the schema.</param>
    /// <param name="rules">The plugin rules created, and those whose constructor threw.</param>
    /// <param name="files">Each definition with the file it came from.</param>
    /// <returns>The schema and the compiled models, in order.</returns>
    /// <exception cref="CliInputException">As for <see cref="CompileScoringModels(PluginRules, ValueTuple{ScoringModelDefinition, string}[])"/>.</exception>
    public static (Alignment.Leads.AttributeSchema Schema, ScoringModel[] Models) CompileScoringModels(PluginRules plugins, out CreatedPluginRules rules, params (ScoringModelDefinition Definition, string File)[] files)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        Alignment.Leads.AttributeSchema schema;
        try
        {
            schema = LeadCsvReader.CreateSchema(files.Select(f => f.Definition));
        }
        catch (ArgumentException e)
        {
            throw new CliInputException(files[^1].File, null, "$.attributes", DescribeAttributeConflict(files) ?? e.Message);
        }

        var created = plugins.Create(schema);
        string hint = plugins.Types.Count == 0
            ? $" (give the assembly that has the rule with {PluginLoader.OptionName} PATH.dll)"
            : $" (no rule of that name was created from the {PluginLoader.OptionName} assemblies" +
                string.Concat(created.NotCreated.Select(x => "; not created: " + x)) + ")";
        var models = new ScoringModel[files.Length];
        for (int i = 0; i < files.Length; i++)
        {
            try
            {
                models[i] = ScoringModel.Compile(files[i].Definition, new ScoringModelOptions { Schema = schema, PluginRules = created.Rules, Document = files[i].File });
            }
            catch (ModelException e)
            {
                var errors = e.Errors.Select(x => (x.Path, Text(x) + (x.Path.StartsWith("$.plugins", StringComparison.Ordinal) && x.Path.EndsWith(".rule", StringComparison.Ordinal) ? hint : string.Empty)));
                throw Invalid(files[i].File, "scoring model", errors);
            }
        }

        rules = created;
        return (schema, models);
    }

    /// <summary>A model error's message as the tool prints it: the message, then its suggestion in parentheses when it has one.</summary>
    /// <param name="error">The error.</param>
    /// <returns>The text.</returns>
    public static string Text(ModelError error) => error.Suggestion is null ? error.Message : $"{error.Message} ({error.Suggestion})";

    /// <summary>An exception that lists every problem of a model or policy file with its JSON path.</summary>
    /// <param name="file">The file.</param>
    /// <param name="kind">What the file is, for example <c>scoring model</c>.</param>
    /// <param name="errors">The problems.</param>
    /// <returns>The exception; its message starts with the file, then one line per problem.</returns>
    public static CliInputException Invalid(string file, string kind, IEnumerable<(string Path, string Message)> errors)
    {
        var list = errors.ToList();
        if (list.Count == 1)
        {
            return new CliInputException(file, null, list[0].Path, $"the {kind} is invalid: {list[0].Message}");
        }

        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{file}: the {kind} is invalid ({list.Count} problems):");
        foreach (var (path, message) in list)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}  field '{path}': {message}");
        }

        return new CliInputException(text.ToString());
    }

    /// <summary>Translates a CSV error of the scoring package.</summary>
    /// <param name="e">The error.</param>
    /// <returns>The tool's exception, naming the same file, line and column.</returns>
    public static CliInputException From(LeadCsvException e) => new(e.FileName, e.Line, e.Column, e.Problem);

    /// <summary>The text of a qualification state as routing policies and the score output write it.</summary>
    /// <param name="state">The state.</param>
    /// <returns><c>notQualified</c>, <c>mql</c> or <c>hot</c>.</returns>
    public static string StateName(QualificationState state) => state switch
    {
        QualificationState.MarketingQualified => "mql",
        QualificationState.Hot => "hot",
        _ => "notQualified",
    };

    /// <summary>Reads a qualification state (<c>notQualified</c>, <c>mql</c>, <c>hot</c>, or the enum names; any case).</summary>
    /// <param name="text">The text.</param>
    /// <param name="state">The state.</param>
    /// <returns>Whether the text is a state.</returns>
    public static bool TryParseState(string? text, out QualificationState state)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "NOTQUALIFIED" or "NOT QUALIFIED" or "NONE":
                state = QualificationState.NotQualified;
                return true;
            case "MQL" or "MARKETINGQUALIFIED":
                state = QualificationState.MarketingQualified;
                return true;
            case "HOT":
                state = QualificationState.Hot;
                return true;
            default:
                state = default;
                return false;
        }
    }

    private static CliInputException NotReadable(string path, string option, Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => new CliInputException(path, null, option, "the file does not exist"),
        _ => new CliInputException(path, null, option, $"the file cannot be read ({e.Message})"),
    };

    /// <summary>Names the attribute two model files declare with different types, and both files; null when none does.</summary>
    private static string? DescribeAttributeConflict((ScoringModelDefinition Definition, string File)[] files)
    {
        var seen = new Dictionary<string, (Alignment.Leads.AttributeKind Kind, string File)>(StringComparer.OrdinalIgnoreCase);
        foreach (var (definition, file) in files)
        {
            foreach (var attribute in definition.Attributes)
            {
                if (attribute is null)
                {
                    continue;
                }

                if (!seen.TryAdd(attribute.Name, (attribute.Kind, file)) && seen[attribute.Name] is var first && first.Kind != attribute.Kind)
                {
                    return $"attribute '{attribute.Name}' is {first.Kind} in {first.File} but {attribute.Kind} in {file}; the leads are read once, " +
                        "with one type per column, so these models cannot score the same leads file (score each with its own)";
                }
            }
        }

        return null;
    }
}
