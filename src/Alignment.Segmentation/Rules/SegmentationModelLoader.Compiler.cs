using Alignment.Models;
using Alignment.Segmentation.Definitions;
using Alignment.Segmentation.Playbooks;

namespace Alignment.Segmentation.Rules;

/// <content>The compiler: the model's segments, default segment, playbooks and overlaps, with every error at its JSON path.</content>
public static partial class SegmentationModelLoader
{
    private sealed partial class Compiler(SegmentationLoadOptions options, List<ModelError> errors)
    {
        private readonly Dictionary<string, BandSet> _bands = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, CompiledClustering> _clusterings = new(StringComparer.OrdinalIgnoreCase);

        public SegmentationModel? Compile(SegmentationModelDocument doc)
        {
            int before = errors.Count;
            if (!SegmentationModelChecks.Check(doc, errors))
            {
                return null;
            }

            if (string.IsNullOrWhiteSpace(doc.Id))
            {
                Error("$.id", "The model needs an id.");
            }

            for (int i = 0; i < (doc.Bands?.Count ?? 0); i++)
            {
                CompileBandSet(doc.Bands![i], $"$.bands[{i}]");
            }

            for (int i = 0; i < (doc.Clusterings?.Count ?? 0); i++)
            {
                CompileClustering(doc.Clusterings![i], $"$.clusterings[{i}]");
            }

            var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var definitions = new List<SegmentDefinition>();
            var conditions = new List<Condition[]>();
            var segments = doc.Segments ?? [];
            for (int i = 0; i < segments.Count; i++)
            {
                string path = $"$.segments[{i}]";
                if (segments[i] is not { } s)
                {
                    Error(path, "A segment definition cannot be null.");
                    continue;
                }

                var compiled = CompileConditions(s, path);
                var def = CompileSegment(s, path, i, compiled, ids);
                if (def is not null && compiled is not null)
                {
                    definitions.Add(def);
                    conditions.Add(compiled);
                }
            }

            SegmentDefinition? fallback = null;
            if (doc.Default is null)
            {
                Error("$.default", "The model needs a default segment, for every lead no definition matches.");
            }
            else
            {
                if (doc.Default.When is { Count: > 0 })
                {
                    Error("$.default.when", "The default segment takes every lead no definition matches; it cannot have conditions.");
                }

                fallback = CompileSegment(doc.Default, "$.default", -1, [], ids);
            }

            var overlaps = OverlapAnalysis.Find(definitions, conditions, SegmentationModelChecks.MaxOverlapComparisons);
            if (overlaps is null)
            {
                Error("$.segments", OverlapAnalysis.OverBudget(definitions.Count, SegmentationModelChecks.MaxOverlapComparisons));
                overlaps = [];
            }
            else if (options.OverlapsAreErrors)
            {
                foreach (var (overlap, index) in overlaps)
                {
                    Error($"$.segments[{index}].when", overlap.ToString());
                }
            }

            if (errors.Count > before || fallback is null)
            {
                return null;
            }

            return new SegmentationModel(doc.Id!, doc.Version, ComputeContentHash(doc), [.. definitions], fallback, [.. conditions], [.. overlaps.Select(o => o.Overlap)], options.MeterFactory);
        }

        private SegmentDefinition? CompileSegment(SegmentDocument s, string path, int order, Condition[]? conditions, HashSet<string> ids)
        {
            SegmentId? id = null;
            if (string.IsNullOrWhiteSpace(s.Id))
            {
                Error($"{path}.id", "The segment needs an id.");
            }
            else if (!ids.Add(s.Id))
            {
                Error($"{path}.id", $"The segment id '{s.Id}' is used twice (ids are compared case-insensitively).");
            }
            else
            {
                id = new SegmentId(s.Id);
            }

            var playbook = s.Playbook is null || id is null ? null : CompilePlaybook(s.Playbook, $"{path}.playbook", id.Value);
            if (id is null || conditions is null)
            {
                return null;
            }

            return new SegmentDefinition
            {
                Id = id.Value,
                Name = string.IsNullOrWhiteSpace(s.Name) ? s.Id! : s.Name,
                Description = s.Description,
                Order = order,
                Conditions = [.. conditions.Select(c => c.Text)],
                Playbook = playbook,
            };
        }

        private Condition[]? CompileConditions(SegmentDocument s, string path)
        {
            if (s.When is not { Count: > 0 })
            {
                Error($"{path}.when", "A segment definition needs at least one condition; put 'everything else' in the default segment.");
                return null;
            }

            var result = new List<Condition>();
            bool ok = true;
            for (int i = 0; i < s.When.Count; i++)
            {
                var c = s.When[i] is null ? null : CompileCondition(s.When[i], $"{path}.when[{i}]");
                if (s.When[i] is null)
                {
                    Error($"{path}.when[{i}]", "A condition cannot be null.");
                }

                ok &= c is not null;
                if (c is not null)
                {
                    result.Add(c);
                }
            }

            if (!ok)
            {
                return null;
            }

            foreach (var group in result.GroupBy(c => c.Constraint.Key, StringComparer.OrdinalIgnoreCase))
            {
                var combined = group.Select(c => c.Constraint).Aggregate((a, b) => a.Intersect(b));
                if (combined.IsEmpty)
                {
                    Error($"{path}.when", $"The conditions on {group.Key} contradict each other ({string.Join(" and ", group.Select(c => c.Text))}); the definition can never match.");
                    return null;
                }
            }

            return [.. result];
        }

        private Playbook? CompilePlaybook(PlaybookDocument p, string path, SegmentId segment)
        {
            bool ok = true;
            if (string.IsNullOrWhiteSpace(p.ValueProposition))
            {
                Error($"{path}.valueProposition", "The playbook needs a value proposition.");
                ok = false;
            }

            var cases = new List<CaseStudy>();
            for (int i = 0; i < (p.CaseStudies?.Count ?? 0); i++)
            {
                var cs = p.CaseStudies![i];
                if (cs is null || string.IsNullOrWhiteSpace(cs.Title))
                {
                    Error($"{path}.caseStudies[{i}].title", "The case study needs a title.");
                    ok = false;
                    continue;
                }

                cases.Add(new CaseStudy(cs.Title, cs.Customer, cs.Summary, cs.Url));
            }

            var objections = new List<ObjectionResponse>();
            for (int i = 0; i < (p.Objections?.Count ?? 0); i++)
            {
                var o = p.Objections![i];
                if (o is null || string.IsNullOrWhiteSpace(o.Objection) || string.IsNullOrWhiteSpace(o.Response))
                {
                    Error($"{path}.objections[{i}]", "An objection needs both 'objection' and 'response'.");
                    ok = false;
                    continue;
                }

                objections.Add(new ObjectionResponse(o.Objection, o.Response));
            }

            return !ok ? null : new Playbook
            {
                Segment = segment,
                ValueProposition = p.ValueProposition!,
                ProofPoints = [.. (p.ProofPoints ?? []).Where(s => !string.IsNullOrWhiteSpace(s))],
                DataPoints = [.. (p.DataPoints ?? []).Where(s => !string.IsNullOrWhiteSpace(s))],
                CaseStudies = [.. cases],
                Objections = [.. objections],
            };
        }

        private void Error(string path, string message, string? suggestion = null) =>
            errors.Add(new ModelError(path, message) { Suggestion = suggestion is null ? null : $"did you mean '{suggestion}'?" });
    }
}
