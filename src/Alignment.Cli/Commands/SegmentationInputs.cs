using Alignment.Leads;
using Alignment.Models;
using Alignment.Segmentation.Definitions;
using Alignment.Segmentation.Rules;

namespace Alignment.Cli.Commands;

/// <summary>Loads a segmentation model file for the command line, with the attribute schema its <c>attributes.*</c> fields need.</summary>
internal static class SegmentationInputs
{
    /// <summary>
    /// Reads, validates and compiles a segmentation model. Custom attributes are declared from the model itself: a field
    /// <c>attributes.X</c> used by a band set, a clustering or a range condition is a number; one compared only with
    /// <c>"in": ["true"]</c>/<c>["false"]</c> is a yes/no flag; any other is text.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="option">The option or argument that named it.</param>
    /// <param name="limits">The limits the command reads its files with (<c>--limit</c>); the file's size is checked against them here.</param>
    /// <returns>The model and the schema the accounts file is read with (one column per attribute, named without the prefix).</returns>
    /// <exception cref="CliInputException">The file is missing or over the size limit, or the model invalid: every problem with its JSON path.</exception>
    public static (SegmentationModel Model, AttributeSchema Schema) Load(string path, string option, ModelReadLimits limits)
    {
        string json = CommandInputs.ReadAllText(path, option, limits);
        try
        {
            var schema = InferSchema(SegmentationModelLoader.ReadDocument(json, limits));
            return (SegmentationModel.Load(json, new SegmentationLoadOptions { Document = path, Schema = schema, Limits = limits }), schema);
        }
        catch (ModelException e)
        {
            throw CommandInputs.Invalid(path, "segmentation model", e.Errors.Select(x => (x.Path, CommandInputs.Text(x))));
        }
    }

    /// <summary>The attributes a model document reads, with kinds inferred from how they are used.</summary>
    /// <param name="document">The document.</param>
    /// <returns>The schema, in first-use order.</returns>
    public static AttributeSchema InferSchema(SegmentationModelDocument document)
    {
        var kinds = new Dictionary<string, AttributeKind>(StringComparer.OrdinalIgnoreCase);
        var order = new List<string>();
        void Use(string? field, AttributeKind kind)
        {
            if (field is null || !field.StartsWith(LeadFields.AttributePrefix, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            // A blank name is no attribute: the loader reports the field with its JSON path.
            string name = field[LeadFields.AttributePrefix.Length..];
            if (string.IsNullOrWhiteSpace(name))
            {
                return;
            }

            if (!kinds.TryGetValue(name, out var known))
            {
                order.Add(name);
                kinds[name] = kind;
            }
            else if (known != kind)
            {
                kinds[name] = known == AttributeKind.Number || kind == AttributeKind.Number ? AttributeKind.Number : AttributeKind.Text;
            }
        }

        foreach (var band in document.Bands ?? [])
        {
            Use(band?.Field, AttributeKind.Number);
        }

        foreach (var clustering in document.Clusterings ?? [])
        {
            foreach (var feature in clustering?.Features ?? [])
            {
                Use(feature, AttributeKind.Number);
            }
        }

        foreach (var segment in (document.Segments ?? []).Append(document.Default))
        {
            foreach (var condition in segment?.When ?? [])
            {
                if (condition is null)
                {
                    continue;
                }

                bool range = condition.AtLeast is not null || condition.Below is not null;
                bool flag = condition.In is { Count: > 0 } values && values.All(v => v is not null && (v.Equals("true", StringComparison.OrdinalIgnoreCase) || v.Equals("false", StringComparison.OrdinalIgnoreCase)));
                Use(condition.Field, range ? AttributeKind.Number : flag ? AttributeKind.Boolean : AttributeKind.Text);
            }
        }

        return new AttributeSchema(order.Select(name => new AttributeDefinition(name, kinds[name])));
    }
}
