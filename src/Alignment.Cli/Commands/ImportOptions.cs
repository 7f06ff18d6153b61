using System.CommandLine;
using Alignment.Cli.Csv;
using Alignment.Leads.Import;
using Alignment.Models;

namespace Alignment.Cli.Commands;

/// <summary>
/// The options of every command that reads a CRM export: <c>--from PRESET</c>, <c>--map FILE</c>, <c>--culture NAME</c>,
/// <c>--date-format FORMAT</c> (repeatable) and <c>--time-zone ID</c>. A bad preset, culture, format or zone is a usage error; a bad
/// mapping file is bad input naming its JSON paths.
/// </summary>
internal sealed class ImportOptions
{
    private ImportOptions()
    {
        From = new Option<string>("--from")
        {
            Description = $"The CRM the files were exported from, read with its preset: {string.Join(", ", CrmPresets.Names)} (header names, activity and stage names, date formats; docs/data-formats.md).",
            HelpName = "PRESET",
        };
        From.Validators.Add(result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (!CrmPresets.TryGet(text, out _))
            {
                result.AddError($"--from must be one of {string.Join(", ", CrmPresets.Names)} (was '{text}').");
            }
        });
        Map = new Option<string>("--map")
        {
            Description = "A mapping file (JSON: column renames, constants, activity-type and stage maps, culture, date formats, time zone; " +
                "docs/data-formats.md); it may extend a preset. alignment map writes one to start from.",
            HelpName = "MAP.json",
        };
        Culture = new Option<string>("--culture")
        {
            Description = "The culture the export writes dates and numbers in, such as en-US, en-GB or de-DE: decides 3/1/2026 and 1.250,00. Default: the mapping's, else ISO 8601 and invariant numbers.",
            HelpName = "NAME",
        };
        Culture.Validators.Add(result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (!CrmValueReader.TryGetCulture(text, out _))
            {
                result.AddError($"--culture must be a culture name this system knows, such as en-US, en-GB or de-DE (was '{text}').");
            }
        });
        DateFormat = new Option<string[]>("--date-format")
        {
            Description = "A .NET date format the export writes instants in, such as dd.MM.yyyy HH:mm or M/d/yyyy h:mm tt (repeatable; tried in order after ISO 8601).",
            HelpName = "FORMAT",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        DateFormat.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (!CrmValueReader.IsValidDateFormat(token.Value, out var problem))
                {
                    result.AddError($"--date-format: {problem}.");
                }
            }
        });
        TimeZone = new Option<string>("--time-zone")
        {
            Description = "The time zone of the export's instants that have no UTC offset (IANA id such as UTC, Europe/Berlin). With --from or --map such instants are refused without it: never guessed.",
            HelpName = "ID",
        };
        TimeZone.Validators.Add(result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (!CrmValueReader.TryGetTimeZone(text, out _))
            {
                result.AddError($"--time-zone must be a time zone this system knows, such as UTC, Europe/Berlin or America/New_York (was '{text}').");
            }
        });
    }

    /// <summary><c>--from</c>.</summary>
    public Option<string> From { get; }

    /// <summary><c>--map</c>.</summary>
    public Option<string> Map { get; }

    /// <summary><c>--culture</c>.</summary>
    public Option<string> Culture { get; }

    /// <summary><c>--date-format</c>.</summary>
    public Option<string[]> DateFormat { get; }

    /// <summary><c>--time-zone</c>.</summary>
    public Option<string> TimeZone { get; }

    /// <summary>Creates the options and adds them to a command.</summary>
    /// <param name="command">The command.</param>
    /// <returns>The options.</returns>
    public static ImportOptions AddTo(Command command)
    {
        var options = new ImportOptions();
        command.Options.Add(options.From);
        command.Options.Add(options.Map);
        command.Options.Add(options.Culture);
        command.Options.Add(options.DateFormat);
        command.Options.Add(options.TimeZone);
        return options;
    }

    /// <summary>The import the options describe.</summary>
    /// <param name="parse">The parsed command line.</param>
    /// <returns>The import; <see cref="CsvImport.Default"/> when no option is given.</returns>
    /// <exception cref="CliInputException">The mapping file is missing, too long or invalid (every problem with its JSON path).</exception>
    public CsvImport Resolve(ParseResult parse)
    {
        string? from = parse.GetValue(From), map = parse.GetValue(Map), culture = parse.GetValue(Culture), zone = parse.GetValue(TimeZone);
        string[] formats = parse.GetValue(DateFormat) ?? [];
        return Resolve(from, map, culture, formats, zone);
    }

    /// <summary>The import given options describe.</summary>
    /// <param name="from">The preset name, or <see langword="null"/>.</param>
    /// <param name="map">The mapping file, or <see langword="null"/>.</param>
    /// <param name="culture">The culture, or <see langword="null"/>.</param>
    /// <param name="formats">The date formats (possibly empty).</param>
    /// <param name="zone">The time zone, or <see langword="null"/>.</param>
    /// <returns>The import.</returns>
    /// <exception cref="CliInputException">The mapping file is missing, too long or invalid.</exception>
    public static CsvImport Resolve(string? from, string? map, string? culture, string[] formats, string? zone)
    {
        if (from is null && map is null && culture is null && formats.Length == 0 && zone is null)
        {
            return CsvImport.Default;
        }

        CrmMapping? mapping = null;
        if (from is not null)
        {
            mapping = CrmPresets.TryGet(from, out var preset) ? preset : throw new CliInputException(from, null, "--from", $"not a preset (one of {string.Join(", ", CrmPresets.Names)})");
        }

        if (map is not null)
        {
            var limits = new ModelReadLimits { MaxBytes = CrmMappingJson.MaxLength * 4L };
            string json = CommandInputs.ReadAllText(map, "--map", limits);
            try
            {
                var file = CrmMappingJson.Parse(json, map);
                mapping = mapping is null ? file : mapping.With(file);
            }
            catch (ModelException e)
            {
                throw CommandInputs.Invalid(map, "mapping file", e.Errors.Select(x => (x.Path, CommandInputs.Text(x))));
            }
        }

        bool own = mapping is null;
        mapping ??= new CrmMapping { Name = "options" };
        mapping = mapping with
        {
            Culture = culture ?? mapping.Culture,
            DateFormats = formats.Length > 0 ? [.. formats] : mapping.DateFormats,
            TimeZone = zone ?? mapping.TimeZone,
        };
        try
        {
            return new CsvImport(own ? null : mapping, CrmValueReader.Create(mapping, assumeUtc: own));
        }
        catch (ArgumentException e)
        {
            throw new CliInputException(map ?? "options", null, culture is null && zone is null ? "$" : "--culture/--time-zone", e.Message);
        }
    }
}
