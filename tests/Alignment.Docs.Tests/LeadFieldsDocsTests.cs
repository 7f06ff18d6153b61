using System.Text.RegularExpressions;
using Alignment.Leads;

namespace Alignment.Docs.Tests;

/// <summary>docs/data-formats.md lists the lead-field catalogue exactly: every field of <see cref="LeadFields.All"/>, its type and its description, and no other.</summary>
public sealed partial class LeadFieldsDocsTests
{
    [Fact]
    public void DataFormats_ListsEveryCatalogueFieldWithItsTypeAndDescription()
    {
        string page = RepositoryFiles.Read("docs/data-formats.md");
        int start = page.IndexOf("## Lead fields: one name in every model", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/data-formats.md has no 'Lead fields' section.");
        int end = page.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        string section = page[start..end];

        var rows = Row().Matches(section).ToDictionary(m => m.Groups["name"].Value, m => (Type: m.Groups["type"].Value, Text: m.Groups["text"].Value.Trim()), StringComparer.Ordinal);

        foreach (var field in LeadFields.All)
        {
            Assert.True(rows.TryGetValue(field.Name, out var row), $"docs/data-formats.md does not list the field '{field.Name}'.");
            string type = field.Kind switch
            {
                LeadFieldKind.Text => "text",
                LeadFieldKind.Number => "number",
                LeadFieldKind.Grade => "grade",
                LeadFieldKind.State => "state",
                _ => throw new InvalidOperationException($"No documented type for {field.Kind}."),
            };
            Assert.True(type == row.Type, $"docs/data-formats.md gives '{field.Name}' the type '{row.Type}'; the catalogue says {type}.");
            Assert.True(field.Description == row.Text, $"docs/data-formats.md describes '{field.Name}' as '{row.Text}'; the catalogue says '{field.Description}'.");
        }

        var extra = rows.Keys.Where(name => !name.StartsWith(LeadFields.AttributePrefix, StringComparison.Ordinal) && !LeadFields.TryGet(name, out _)).ToList();
        Assert.True(extra.Count == 0, $"docs/data-formats.md lists fields the catalogue does not have: {string.Join(", ", extra)}.");
    }

    [GeneratedRegex(@"^\| `(?<name>[a-zA-Z.<>]+)` \| (?<type>[a-z ]+) \| (?<text>[^|]+) \|", RegexOptions.Multiline)]
    private static partial Regex Row();
}
