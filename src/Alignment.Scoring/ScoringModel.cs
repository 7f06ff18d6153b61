using System.Diagnostics.CodeAnalysis;
using Alignment.Models;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Alignment.Activities;
using Alignment.Diagnostics;
using Alignment.Leads;
using Alignment.Scoring.Compilation;
using Alignment.Scoring.Definitions;


namespace Alignment.Scoring;

/// <summary>
/// A scoring model compiled for speed: validated once, its profile conditions compiled into delegates, its activity rules into
/// flat tables. Scores one lead with a rule-by-rule explanation (<see cref="Score"/>), or many leads into caller memory with
/// nothing allocated per lead (<see cref="ScoreBatch"/>, <see cref="ScoreEncoded"/>).
/// </summary>
/// <remarks>
/// Immutable and thread-safe: share one instance across all threads. Deterministic: the same model, lead, activities and instant
/// give the same result bit for bit on any machine (points are exact hundredths; decay uses only IEEE basic operations).
/// Activities after the scoring instant never count. Ages are counted in whole days (24 h) before the instant.
/// </remarks>
public sealed partial class ScoringModel : ILeadScorer
{
    private const int StackLimit = 256;
    private const int OwnActivityMask =
        (1 << (int)ActivityType.EmailOpened) | (1 << (int)ActivityType.EmailClicked) | (1 << (int)ActivityType.WebVisit) |
        (1 << (int)ActivityType.PageView) | (1 << (int)ActivityType.FormSubmitted) | (1 << (int)ActivityType.ContentDownloaded) |
        (1 << (int)ActivityType.WebinarRegistered) | (1 << (int)ActivityType.WebinarAttended) | (1 << (int)ActivityType.EventContact) |
        (1 << (int)ActivityType.DemoRequested);

    private static readonly Counter<long> DefaultScored = CreateScored(new Meter(AlignmentDiagnostics.MeterName));

    private readonly Counter<long> _scored;

    private readonly string[] _categoryIds;
    private readonly long[] _categoryCaps;
    private readonly int[] _ruleCategories;
    private readonly KernelGroup[] _kernels;
    private readonly ProfileRulePlan[] _profileRules;
    private readonly Lazy<Action<Lead, bool[]>?> _matches;
    private readonly Lazy<bool> _encodedKernelsReady;
    private readonly ActivityRulePlan[] _activityRules;
    private readonly ActivityMatcher[] _matchers;
    private readonly int[] _matcherStart;
    private readonly ActivityRowTable? _rowTable;
    private readonly ActivityMatcher[] _filtered;
    private readonly InactivityPlan[] _inactivity;
    private readonly PluginPlan[] _plugins;
    private readonly long _mqlScore;
    private readonly Grade _mqlGrade;
    private readonly long _hotScore;
    private readonly Grade _hotGrade;
    private readonly EncodingPlan _encoding;
    private readonly bool _needsActivities;
    private readonly bool _readsAttributes;
    private readonly KernelGroup? _single;

    private static Counter<long> CreateScored(Meter meter) =>
        meter.CreateCounter<long>("alignment.leads.scored", "{lead}", "Leads scored, tagged by model id and resulting state.");

    private ScoringModel(ScoringModelDefinition definition, ScoringModelOptions options)
    {
        Definition = definition;
        Schema = options.Schema;
        _scored = options.MeterFactory is { } meters ? CreateScored(meters.Create(AlignmentDiagnostics.MeterName)) : DefaultScored;
        ContentHash = ScoringModelJson.ComputeContentHash(definition);

        var categoryIds = new List<string> { CategoryDefinition.DefaultId };
        var caps = new List<long> { long.MaxValue };
        var categoryIndex = new Dictionary<string, int>(StringComparer.Ordinal) { [CategoryDefinition.DefaultId] = 0 };
        foreach (var c in definition.Categories)
        {
            if (!categoryIndex.TryGetValue(c.Id, out int at))
            {
                at = categoryIds.Count;
                categoryIndex.Add(c.Id, at);
                categoryIds.Add(c.Id);
                caps.Add(long.MaxValue);
            }

            caps[at] = c.Cap is decimal cap ? DeterministicMath.ToHundredths(cap) : long.MaxValue;
        }

        _categoryIds = [.. categoryIds];
        _categoryCaps = [.. caps];

        var fields = new Dictionary<string, FieldBinding>(StringComparer.OrdinalIgnoreCase);
        foreach (var a in definition.Attributes)
        {
            options.Schema.TryGetOrdinal(a.Name, out int ordinal);
            fields[LeadFields.AttributePrefix + a.Name] = FieldBinding.Custom(LeadFields.AttributePrefix + a.Name, a.Kind, ordinal);
        }

        FieldBinding Resolve(string name)
        {
            if (fields.TryGetValue(name, out var b))
            {
                return b;
            }

            ScoringFields.TryGet(name, out var builtIn);
            b = FieldBinding.BuiltInField(builtIn);
            fields[name] = b;
            return b;
        }

        var binder = new ProfileKernels.Binder(Resolve, definition.TextComparison);
        var profile = new List<ProfileRulePlan>();
        var activity = new List<ActivityRulePlan>();
        var inactivity = new List<InactivityPlan>();
        var plugins = new List<PluginPlan>();
        var pluginByName = options.PluginRules.ToDictionary(p => p.Name, StringComparer.Ordinal);
        _ruleCategories = new int[definition.Rules.Length];
        for (int i = 0; i < definition.Rules.Length; i++)
        {
            var rule = definition.Rules[i];
            int category = categoryIndex[rule.Category];
            _ruleCategories[i] = category;
            switch (rule)
            {
                case ProfileRuleDefinition p:
                    profile.Add(new ProfileRulePlan(i, p, category, DeterministicMath.ToHundredths(p.Points), p.GradeSteps));
                    break;
                case ActivityRuleDefinition a:
                    activity.Add(ActivityRulePlan.Create(i, activity.Count, a, category));
                    break;
                case InactivityRuleDefinition n:
                    inactivity.Add(new InactivityPlan(i, category, DeterministicMath.ToHundredths(n.Points), n.InactiveDays));
                    break;
                case PluginRuleDefinition pl:
                    plugins.Add(new PluginPlan(i, pl.Id, category, pluginByName[pl.RuleName], pl.Cap is decimal c ? DeterministicMath.ToHundredths(c) : long.MaxValue));
                    break;
            }
        }

        _profileRules = [.. profile];
        _activityRules = [.. activity];
        _inactivity = [.. inactivity];
        _plugins = [.. plugins];
        _needsActivities = _activityRules.Length > 0 || _inactivity.Length > 0;
        _readsAttributes = !definition.Attributes.IsEmpty;
        int types = Enum.GetValues<ActivityType>().Length;
        ActivityRulePlan[] ByType(IEnumerable<ActivityRulePlan> rules) => [.. rules.OrderBy(r => (int)r.Definition.Activity).ThenBy(r => r.Slot)];
        int[] StartsByType(ActivityRulePlan[] sorted)
        {
            // The rules of type t are sorted[starts[t]..starts[t + 1]].
            var starts = new int[types + 1];
            for (int t = 0; t < types; t++)
            {
                starts[t + 1] = starts[t] + sorted.Count(r => (int)r.Definition.Activity == t);
            }

            return starts;
        }

        // The row table takes the unfiltered rules; the rules with URL or campaign filters stay matchers, grouped by type.
        var filtered = ByType(_activityRules.Where(r => r.UrlContains is not null || r.Campaign is not null));
        _filtered = [.. filtered.Select(r => new ActivityMatcher(r))];
        _rowTable = options.ScalarActivities || _activityRules.Length == 0 ? null : ActivityRowTable.TryCreate(_activityRules, types, StartsByType(filtered));

        // Without a row table, every activity rule is a matcher, grouped by type in one flat array (the matcher loop).
        var matched = _rowTable is null ? ByType(_activityRules) : [];
        _matchers = [.. matched.Select(r => new ActivityMatcher(r))];
        _matcherStart = StartsByType(matched);

        _encoding = new EncodingPlan(_profileRules.Select(r => r.Definition.When), binder);
        bool interpret = options.PreferInterpretation;
        _kernels = [.. _profileRules
            .GroupBy(r => (r.Category, r.Definition.Component == ScoreComponent.Fit))
            .Select(g => new KernelGroup(g.Key.Category, g.Key.Item2, [.. g], ProfileKernels.CompileObjectKernel([.. g], binder, interpret)))];

        // Kernels only some callers need are compiled on first use: the encoded ones by the first Encode, the
        // rule-by-rule matcher by the first explained Score. Loading a model compiles only what every caller needs.
        _encodedKernelsReady = new Lazy<bool>(() =>
        {
            foreach (var k in _kernels)
            {
                k.EncodedKernel = ProfileKernels.CompileEncodedKernel(k.Rules, _encoding, binder, interpret);
            }

            return true;
        });
        // A model with one group of profile rules in one uncapped category and nothing else takes a shorter path.
        _single = _kernels.Length == 1 && !_needsActivities && _plugins.Length == 0 && _categoryCaps.All(c => c == long.MaxValue) ? _kernels[0] : null;
        _matches = new Lazy<Action<Lead, bool[]>?>(() => _profileRules.Length > 0 ? ProfileKernels.CompileObjectMatches(_profileRules, binder, interpret) : null);

        _mqlScore = DeterministicMath.ToHundredths(definition.Mql.Score);
        _mqlGrade = definition.Mql.MinGrade;
        _hotScore = definition.Hot is null ? long.MaxValue : DeterministicMath.ToHundredths(definition.Hot.Score);
        _hotGrade = definition.Hot?.MinGrade ?? Grade.APlus;
    }

    /// <summary>The definition this model was compiled from.</summary>
    public ScoringModelDefinition Definition { get; }

    /// <summary>The model's id.</summary>
    public string Id => Definition.Id;

    /// <summary>The model's semantic version.</summary>
    public string Version => Definition.Version;

    /// <summary>The content hash of the definition (see <see cref="ScoringModelJson.ComputeContentHash"/>), recorded on every score card.</summary>
    public string ContentHash { get; }

    /// <summary>Tests only: whether activities are scored through the row table (otherwise the matcher loop).</summary>
    internal bool UsesActivityTable => _rowTable is not null;

    /// <summary>The attribute schema the model was compiled against; leads must carry attributes of this schema.</summary>
    public AttributeSchema Schema { get; }

    /// <summary>Validates and compiles a definition.</summary>
    /// <param name="definition">The definition.</param>
    /// <param name="options">The attribute schema and plugin rules; <see langword="null"/> for none.</param>
    /// <returns>The compiled model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is null.</exception>
    /// <exception cref="ModelException">The definition is invalid, declares attributes the schema lacks, or names unregistered plugins; lists every problem.</exception>
    public static ScoringModel Compile(ScoringModelDefinition definition, ScoringModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        options ??= new ScoringModelOptions();
        var errors = new List<ModelError>(ScoringModelValidator.Validate(definition));
        for (int i = 0; i < definition.Attributes.Length; i++)
        {
            var a = definition.Attributes[i];
            if (a is null || string.IsNullOrWhiteSpace(a.Name))
            {
                continue;
            }

            if (!options.Schema.TryGetOrdinal(a.Name, out int ordinal))
            {
                errors.Add(new($"$.attributes[{i}].name", $"unknown attribute '{a.Name}': the leads' attribute schema does not have it"));
            }
            else if (options.Schema.Definitions[ordinal].Kind != a.Kind)
            {
                errors.Add(new($"$.attributes[{i}].type", $"wrong type: the model reads '{a.Name}' as {a.Kind}, but the schema says {options.Schema.Definitions[ordinal].Kind}"));
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in options.PluginRules ?? [])
        {
            if (p is null || string.IsNullOrWhiteSpace(p.Name) || !names.Add(p.Name))
            {
                throw new ArgumentException($"Plugin rules must have unique, non-empty names; '{p?.Name}' is not.", nameof(options));
            }
        }

        int pluginIndex = 0;
        foreach (var rule in definition.Rules.OfType<PluginRuleDefinition>())
        {
            if (!string.IsNullOrWhiteSpace(rule.RuleName) && !names.Contains(rule.RuleName))
            {
                errors.Add(new($"$.plugins[{pluginIndex}].rule", $"no registered scoring rule is named '{rule.RuleName}' (registered: {(names.Count == 0 ? "none" : string.Join(", ", names.Order(StringComparer.Ordinal)))})"));
            }

            pluginIndex++;
        }

        if (errors.Count > 0)
        {
            throw new ModelException(options.Document, errors);
        }

        return new ScoringModel(definition, options);
    }

    /// <summary>Reads, validates and compiles a model from its JSON text.</summary>
    /// <param name="json">The model file's text.</param>
    /// <param name="options">The attribute schema, plugin rules and source name; <see langword="null"/> for none.</param>
    /// <returns>The compiled model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit of <see cref="ModelLoadOptions.Limits"/> is out of range.</exception>
    /// <exception cref="ModelException">The file is over a limit of <see cref="ModelLoadOptions.Limits"/>, or the JSON or the model is invalid; lists every problem with its JSON path.</exception>
    public static ScoringModel Load(string json, ScoringModelOptions? options = null)
    {
        options ??= new ScoringModelOptions();
        return Compile(ScoringModelJson.Parse(json, options.Document, options.Limits), options);
    }

    /// <summary>
    /// Reads, validates and compiles a model from its JSON text, returning every problem instead of throwing: the twin of
    /// <see cref="Load"/> for callers that branch on an invalid model (an upload form, a model registry).
    /// </summary>
    /// <param name="json">The model file's text.</param>
    /// <param name="options">The attribute schema, plugin rules, document name and limits; <see langword="null"/> for none.</param>
    /// <param name="model">The compiled model, or <see langword="null"/> when the model is invalid.</param>
    /// <param name="errors">Every problem with its JSON path, or empty when the model loaded.</param>
    /// <returns><see langword="true"/> when the model loaded.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit of <see cref="ModelLoadOptions.Limits"/> is out of range.</exception>
    public static bool TryLoad(string json, ScoringModelOptions? options, [NotNullWhen(true)] out ScoringModel? model, out ImmutableArray<ModelError> errors)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            model = Load(json, options);
            errors = [];
            return true;
        }
        catch (ModelException ex)
        {
            model = null;
            errors = ex.Errors;
            return false;
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The lead's attributes use another schema, or an activity has an undefined type.</exception>
    /// <exception cref="ScoringRuleException">A plugin rule failed.</exception>
    public ScoreCard Score(Lead lead, ReadOnlySpan<LeadActivity> activities, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(lead);
        CheckSchema(lead);
        int ruleCount = Definition.Rules.Length;

        // Scratch on the stack for the usual model (the score card keeps none of it); cleared, as the arrays were.
        Span<long> values = ruleCount <= StackLimit ? stackalloc long[ruleCount] : new long[ruleCount];
        Span<int> grades = ruleCount <= StackLimit ? stackalloc int[ruleCount] : new int[ruleCount];
        Span<bool> fired = ruleCount <= StackLimit ? stackalloc bool[ruleCount] : new bool[ruleCount];
        values.Clear();
        grades.Clear();
        fired.Clear();
        if (_matches.Value is { } matches)
        {
            bool[] matched = new bool[ruleCount];
            matches(lead, matched);
            foreach (var r in _profileRules)
            {
                if (matched[r.Index])
                {
                    values[r.Index] = r.PointsHundredths;
                    grades[r.Index] = r.GradeSteps;
                    fired[r.Index] = true;
                }
            }
        }

        long asOfTicks = asOf.UtcTicks;
        int slots = _activityRules.Length + 1; // one spare slot: see ActivityRowTable
        Span<long> acc = slots <= StackLimit ? stackalloc long[slots] : new long[slots];
        acc.Clear();
        long lastOwn = AccumulateActivities(lead, activities, asOfTicks, acc);
        foreach (var r in _activityRules)
        {
            values[r.Index] = Clamp(acc[r.Slot], r.CapHundredths);
            fired[r.Index] = values[r.Index] != 0;
        }

        foreach (var n in _inactivity)
        {
            if (IsInactive(lead, lastOwn, asOfTicks, n.Days))
            {
                values[n.Index] = n.PointsHundredths;
                fired[n.Index] = true;
            }
        }

        var context = new ScoringContext(asOf);
        foreach (var p in _plugins)
        {
            values[p.Index] = EvaluatePlugin(p, lead, activities, context);
            fired[p.Index] = values[p.Index] != 0;
        }

        Span<long> categories = _categoryIds.Length <= StackLimit ? stackalloc long[_categoryIds.Length] : new long[_categoryIds.Length];
        categories.Clear();
        long fit = 0;
        int gradeSteps = 0;
        var explanation = ImmutableArray.CreateBuilder<ScoreContribution>();
        for (int i = 0; i < ruleCount; i++)
        {
            var rule = Definition.Rules[i];
            int category = _ruleCategories[i];
            categories[category] += values[i];
            gradeSteps += grades[i];
            if (rule.Component == ScoreComponent.Fit)
            {
                fit += values[i];
            }

            if (fired[i])
            {
                explanation.Add(new ScoreContribution(rule.Id, rule.Category, rule.Component, DeterministicMath.ToDecimal(values[i]), grades[i]));
            }
        }

        long total = 0;
        var categoryScores = ImmutableArray.CreateBuilder<CategoryScore>(_categoryIds.Length);
        for (int c = 0; c < categories.Length; c++)
        {
            long capped = Math.Min(categories[c], _categoryCaps[c]);
            if (capped != categories[c])
            {
                explanation.Add(new ScoreContribution("cap:" + _categoryIds[c], _categoryIds[c], ScoreComponent.CategoryCap, DeterministicMath.ToDecimal(capped - categories[c]), 0));
            }

            total += capped;
            categoryScores.Add(new CategoryScore(_categoryIds[c], DeterministicMath.ToDecimal(capped)));
        }

        var grade = Grades.Start.Move(gradeSteps);
        var state = StateOf(total, grade);
        _scored.Add(1, new KeyValuePair<string, object?>("model", Id), new KeyValuePair<string, object?>("state", state.ToString()));
        return new ScoreCard
        {
            LeadId = lead.Id,
            AsOf = asOf,
            Total = DeterministicMath.ToDecimal(total),
            Fit = DeterministicMath.ToDecimal(fit),
            Engagement = DeterministicMath.ToDecimal(total - fit),
            Grade = grade,
            State = state,
            Categories = categoryScores.MoveToImmutable(),
            Explanation = explanation.ToImmutable(),
            ModelId = Id,
            ModelVersion = Version,
            ModelHash = ContentHash,
        };
    }

    /// <summary>Scores one lead without an explanation; allocates nothing (unless a plugin rule does).</summary>
    /// <param name="lead">The lead.</param>
    /// <param name="activities">Its activities; those after <paramref name="asOf"/> never count.</param>
    /// <param name="asOf">The scoring instant.</param>
    /// <returns>The score.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lead"/> is null.</exception>
    /// <exception cref="ArgumentException">The lead's attributes use another schema, or an activity has an undefined type.</exception>
    /// <exception cref="ScoringRuleException">A plugin rule failed.</exception>
    public LeadScore Evaluate(Lead lead, ReadOnlySpan<LeadActivity> activities, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(lead);
        CheckSchema(lead);
        Span<long> categories = stackalloc long[_categoryIds.Length <= StackLimit ? _categoryIds.Length : 0];
        if (categories.Length != _categoryIds.Length)
        {
            categories = new long[_categoryIds.Length];
        }

        Span<long> acc = _activityRules.Length < StackLimit ? stackalloc long[_activityRules.Length + 1] : new long[_activityRules.Length + 1];
        return EvaluateCore(lead, null, 0, activities, asOf, categories, acc);
    }

    /// <summary>Scores many leads into caller-provided memory; allocates nothing per lead.</summary>
    /// <param name="leads">The leads.</param>
    /// <param name="activities">Their activities (<see cref="LeadActivities.None"/> for none).</param>
    /// <param name="asOf">The scoring instant, the same for the whole batch.</param>
    /// <param name="results">Where to write the scores; at least as long as <paramref name="leads"/>.</param>
    /// <param name="cancellationToken">Checked between leads.</param>
    /// <exception cref="ArgumentException"><paramref name="results"/> is too short, the activities cover another number of leads, a lead is null or has attributes of another schema.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; leads before that point are scored.</exception>
    /// <exception cref="ScoringRuleException">A plugin rule failed.</exception>
    public void ScoreBatch(ReadOnlySpan<Lead> leads, LeadActivities activities, DateTimeOffset asOf, Span<LeadScore> results, CancellationToken cancellationToken = default)
    {
        CheckBatch(leads.Length, activities, results.Length);
        Span<long> categories = stackalloc long[Math.Min(_categoryIds.Length, StackLimit)];
        if (categories.Length != _categoryIds.Length)
        {
            categories = new long[_categoryIds.Length];
        }

        Span<long> acc = _activityRules.Length < StackLimit ? stackalloc long[_activityRules.Length + 1] : new long[_activityRules.Length + 1];
        for (int i = 0; i < leads.Length; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var lead = leads[i] ?? throw new ArgumentException($"The lead at index {i} is null.", nameof(leads));
            CheckSchema(lead);
            results[i] = EvaluateCore(lead, null, 0, activities.For(i), asOf, categories, acc);
        }
    }

    /// <summary>Encodes leads once into this model's batch format, for scoring them many times with <see cref="ScoreEncoded"/>.</summary>
    /// <param name="leads">The leads.</param>
    /// <returns>The encoded batch.</returns>
    /// <exception cref="ArgumentException">A lead is null or has attributes of another schema.</exception>
    public EncodedLeadBatch Encode(ReadOnlySpan<Lead> leads)
    {
        _ = _encodedKernelsReady.Value;
        int stride = Math.Max(_encoding.Stride, 1);
        var data = new double[leads.Length * stride];
        var ids = new LeadId[leads.Length];
        var copy = new Lead[leads.Length];
        for (int i = 0; i < leads.Length; i++)
        {
            var lead = leads[i] ?? throw new ArgumentException($"The lead at index {i} is null.", nameof(leads));
            CheckSchema(lead);
            _encoding.EncodeRow(lead, data.AsSpan(i * stride, stride));
            ids[i] = lead.Id;
            copy[i] = lead;
        }

        return new EncodedLeadBatch(this, ids, copy, data, stride);
    }

    /// <summary>Scores an encoded batch into caller-provided memory; allocates nothing per lead.</summary>
    /// <param name="batch">Leads encoded by this model.</param>
    /// <param name="activities">Their activities (<see cref="LeadActivities.None"/> for none).</param>
    /// <param name="asOf">The scoring instant.</param>
    /// <param name="results">Where to write the scores; at least as long as the batch.</param>
    /// <param name="cancellationToken">Checked between leads.</param>
    /// <exception cref="ArgumentNullException"><paramref name="batch"/> is null.</exception>
    /// <exception cref="ArgumentException">The batch was encoded by another model, <paramref name="results"/> is too short, or the activities cover another number of leads.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="ScoringRuleException">A plugin rule failed.</exception>
    public void ScoreEncoded(EncodedLeadBatch batch, LeadActivities activities, DateTimeOffset asOf, Span<LeadScore> results, CancellationToken cancellationToken = default)
    {
        CheckEncoded(batch);
        CheckBatch(batch.Count, activities, results.Length);
        ScoreEncodedRange(batch, activities, 0, batch.Count, asOf, results, cancellationToken);
    }

    /// <summary>Scores an encoded batch on all cores; allocates nothing per lead.</summary>
    /// <param name="batch">Leads encoded by this model.</param>
    /// <param name="asOf">The scoring instant.</param>
    /// <param name="results">Where to write the scores; at least as long as the batch.</param>
    /// <param name="activities">Every lead's activities, lead after lead; empty for none.</param>
    /// <param name="activityOffsets">Where each lead's activities start, then their count (see <see cref="LeadActivities"/>); empty for none.</param>
    /// <param name="cancellationToken">Checked between leads.</param>
    /// <exception cref="ArgumentNullException"><paramref name="batch"/> is null.</exception>
    /// <exception cref="ArgumentException">The batch was encoded by another model, or the results or offsets do not fit it.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public void ScoreEncodedParallel(EncodedLeadBatch batch, DateTimeOffset asOf, Memory<LeadScore> results, ReadOnlyMemory<LeadActivity> activities = default, ReadOnlyMemory<int> activityOffsets = default, CancellationToken cancellationToken = default)
    {
        CheckEncoded(batch);
        var check = activityOffsets.IsEmpty ? LeadActivities.None : new LeadActivities(activities.Span, activityOffsets.Span);
        CheckBatch(batch.Count, check, results.Length);
        int parts = Math.Min(Environment.ProcessorCount, Math.Max(1, batch.Count / 4096));
        using var trace = AlignmentDiagnostics.ActivitySource.StartActivity("alignment.scoring.batch");
        trace?.SetTag("alignment.model", Id);
        trace?.SetTag("alignment.leads", batch.Count);
        Parallel.For(0, parts, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = parts }, part =>
        {
            int from = (int)((long)batch.Count * part / parts);
            int to = (int)((long)batch.Count * (part + 1) / parts);
            var acts = activityOffsets.IsEmpty ? LeadActivities.None : new LeadActivities(activities.Span, activityOffsets.Span);
            ScoreEncodedRange(batch, acts, from, to, asOf, results.Span, cancellationToken);
        });
    }

    /// <summary>Describes the model by id, version and hash.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"{Id}@{Version} ({ContentHash[..12]})";

    private void ScoreEncodedRange(EncodedLeadBatch batch, LeadActivities activities, int from, int to, DateTimeOffset asOf, Span<LeadScore> results, CancellationToken cancellationToken)
    {
        Span<long> categories = stackalloc long[Math.Min(_categoryIds.Length, StackLimit)];
        if (categories.Length != _categoryIds.Length)
        {
            categories = new long[_categoryIds.Length];
        }

        Span<long> acc = _activityRules.Length < StackLimit ? stackalloc long[_activityRules.Length + 1] : new long[_activityRules.Length + 1];
        double[] data = batch.Data;
        int stride = batch.Stride;
        for (int i = from; i < to; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            results[i] = EvaluateCore(batch.Leads[i], data, i * stride, activities.For(i), asOf, categories, acc);
        }
    }
}
