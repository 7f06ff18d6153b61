using Alignment.Models;
using System.Collections.Immutable;
using Alignment.Policies.Nurture.Definitions;

namespace Alignment.Policies.Nurture;

/// <summary>
/// Refuses control characters in the identifiers of a nurture policy: every text of the document (ids, version, segment ids,
/// topics, kinds, entry reasons, days, quiet-period names and dates) is an identifier or a short label, none is free text.
/// </summary>
internal static class NurturePolicyChecks
{
    /// <summary>Adds an error for every text of the policy that holds a control character.</summary>
    /// <param name="document">The document.</param>
    /// <param name="errors">Where the errors go.</param>
    public static void CheckIdentifiers(NurturePolicyDocument document, ImmutableArray<ModelError>.Builder errors)
    {
        Identifier(document.Id, "$.id", errors);
        Identifier(document.Version, "$.version", errors);
        for (int i = 0; i < (document.Tracks?.Count ?? 0); i++)
        {
            if (document.Tracks![i] is not { } t)
            {
                continue;
            }

            string path = $"$.tracks[{i}]";
            Identifier(t.Id, path + ".id", errors);
            Identifier(t.OnExhausted, path + ".onExhausted", errors);
            List(t.Segments, path + ".segments", errors);
            List(t.EntryReasons, path + ".entryReasons", errors);
            List(t.QuietDays, path + ".quietDays", errors);
            for (int q = 0; q < (t.QuietPeriods?.Count ?? 0); q++)
            {
                string qp = $"{path}.quietPeriods[{q}]";
                Identifier(t.QuietPeriods![q]?.Name, qp + ".name", errors);
                Identifier(t.QuietPeriods[q]?.From, qp + ".from", errors);
                Identifier(t.QuietPeriods[q]?.To, qp + ".to", errors);
            }

            for (int s = 0; s < (t.Steps?.Count ?? 0); s++)
            {
                string sp = $"{path}.steps[{s}]";
                Identifier(t.Steps![s]?.Id, sp + ".id", errors);
                Identifier(t.Steps[s]?.Kind, sp + ".kind", errors);
                Identifier(t.Steps[s]?.Topic, sp + ".topic", errors);
            }
        }
    }

    private static void List(List<string?>? values, string path, ImmutableArray<ModelError>.Builder errors)
    {
        for (int i = 0; i < (values?.Count ?? 0); i++)
        {
            Identifier(values![i], $"{path}[{i}]", errors);
        }
    }

    private static void Identifier(string? text, string path, ImmutableArray<ModelError>.Builder errors)
    {
        if (PolicyText.FirstControl(text) is { } c)
        {
            errors.Add(new ModelError(path, PolicyText.ControlCharacter(c)));
        }
    }
}
