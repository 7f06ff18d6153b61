using System.Collections.Concurrent;
using Alignment.Leads;
using Alignment.Models;
using Alignment.Models.Registry;
using Alignment.Segmentation.Definitions;
using Alignment.Segmentation.Governance;
using Alignment.Segmentation.Rules;

namespace Alignment.Segmentation.Tests.Governance;

/// <summary>
/// Segmentation models as registry releases: the content hash, the loader, and a segmenter that assigns each lead with its tenant's
/// active model (<see cref="ActiveSegmentationModels.SegmenterFor"/>): every assignment names the model that made it, a new release
/// or a rollback takes effect at the next lead, tenants never share a model, and a release that does not load changes nothing.
/// </summary>
public sealed class SegmentationReleaseLoaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The test model at a version; from 2026.2 on the default segment is called <c>everyone</c>.</summary>
    private static string ModelJson(string version) =>
        version == "2026.1"
            ? TestData.ModelJson
            : TestData.ModelJson.Replace("\"version\": \"2026.1\"", $"\"version\": \"{version}\"", StringComparison.Ordinal)
                .Replace("\"default\": { \"id\": \"general\"", "\"default\": { \"id\": \"everyone\"", StringComparison.Ordinal);

    private static async Task<ModelRelease> PublishApprovedAsync(IModelRegistry registry, ModelRelease release)
    {
        release = await registry.PublishAsync(release);
        await registry.ApproveAsync(release.Key, new ModelApproval("mia", ApprovalSide.Marketing, Now, release.ContentHash));
        return await registry.ApproveAsync(release.Key, new ModelApproval("sam", ApprovalSide.Sales, Now, release.ContentHash));
    }

    private static async Task<ModelRelease> ActivateAsync(IModelRegistry registry, string tenant, string version)
    {
        var release = await PublishApprovedAsync(registry, SegmentationReleaseLoader.CreateRelease(tenant, ModelJson(version)));
        await registry.ActivateAsync(release.Key, "ops", "launch " + version);
        return release;
    }

    private static string TenantOf(Lead lead) => lead.Id.Value.Split('/')[0];

    [Fact]
    public void The_content_hash_is_of_the_parsed_document_layout_does_not_change_it_an_edit_does()
    {
        var model = SegmentationModel.Load(TestData.ModelJson);
        var relaid = SegmentationModel.Load(TestData.ModelJson.Replace("\n", "\n\n  ", StringComparison.Ordinal).Replace("// The example", "// Again, the example", StringComparison.Ordinal));
        var edited = SegmentationModel.Load(ModelJson("2026.2"));
        var document = SegmentationModelLoader.ReadDocument(TestData.ModelJson);

        Assert.Matches("^[0-9a-f]{64}$", model.ContentHash);
        Assert.Equal(model.ContentHash, relaid.ContentHash);
        Assert.Equal(model.ContentHash, SegmentationModelLoader.ComputeContentHash(document));
        Assert.Equal(model.ContentHash, SegmentationModel.Compile(document).ContentHash);
        Assert.NotEqual(model.ContentHash, edited.ContentHash);
        Assert.Equal(new ModelReference("acme-segments", "2026.1", model.ContentHash), model.Model);
    }

    [Fact]
    public void Every_assignment_names_the_model_that_made_it_with_the_models_one_instance()
    {
        var model = SegmentationModel.Load(TestData.ModelJson);

        var first = model.Assign(TestData.Lead("a", "Retail", 50, "US"), null);
        var second = model.Assign(TestData.Lead("b", "Software", 5_000, "US"), null);

        Assert.Same(model.Model, first.Model);
        Assert.Same(model.Model, second.Model);
        Assert.Equal(("general", "enterprise-software"), (first.Segment.Value, second.Segment.Value));
    }

    [Fact]
    public void A_release_needs_a_version_and_valid_content()
    {
        var unversioned = TestData.ModelJson.Replace("\"version\": \"2026.1\",", string.Empty, StringComparison.Ordinal);

        var noVersion = Assert.Throws<ArgumentException>(() => SegmentationReleaseLoader.CreateRelease("eu", unversioned));
        Assert.StartsWith("Segmentation model 'acme-segments' has no version; a registry release needs one", noVersion.Message, StringComparison.Ordinal);
        Assert.Throws<ModelException>(() => SegmentationReleaseLoader.CreateRelease("eu", "{ \"id\": \"x\", \"version\": \"1\" }"));
        var release = SegmentationReleaseLoader.CreateRelease("eu", TestData.ModelJson);
        Assert.Equal((new ReleaseKey("eu", ModelKind.Segmentation, "acme-segments", "2026.1"), SegmentationModel.Load(TestData.ModelJson).ContentHash), (release.Key, release.ContentHash));
    }

    [Fact]
    public async Task Activating_v2_takes_effect_at_the_next_lead_and_a_rollback_returns_to_v1_tenants_apart()
    {
        var registry = new InMemoryModelRegistry();
        using var models = new ActiveModels<SegmentationModel>(registry, new SegmentationReleaseLoader());
        var segmenter = models.SegmenterFor(TenantOf);
        var v1 = await ActivateAsync(registry, "eu", "2026.1");
        var us = await ActivateAsync(registry, "us", "2026.2");

        var before = segmenter.Assign(TestData.Lead("eu/a", "Retail", 50, "US"), null);
        var v2 = await ActivateAsync(registry, "eu", "2026.2");
        var after = segmenter.Assign(TestData.Lead("eu/b", "Retail", 50, "US"), null);
        await registry.RollbackAsync("eu", ModelKind.Segmentation, "lee", "the new name confuses reps");
        var back = segmenter.Assign(TestData.Lead("eu/c", "Retail", 50, "US"), null);
        var other = segmenter.Assign(TestData.Lead("us/a", "Retail", 50, "US"), null);

        Assert.Equal(("general", "2026.1", v1.ContentHash), (before.Segment.Value, before.Model!.Version, before.Model.ContentHash));
        Assert.Equal(("everyone", "2026.2", v2.ContentHash), (after.Segment.Value, after.Model!.Version, after.Model.ContentHash));
        Assert.Equal(("general", "2026.1", v1.ContentHash), (back.Segment.Value, back.Model!.Version, back.Model.ContentHash));
        Assert.Equal(("everyone", "2026.2", us.ContentHash), (other.Segment.Value, other.Model!.Version, other.Model.ContentHash));
        var none = Assert.Throws<InvalidOperationException>(() => segmenter.Assign(TestData.Lead("apac/a"), null));
        Assert.Equal("No segmentation model is active for tenant 'apac': publish a release, have marketing and sales approve it, and activate it.", none.Message);
    }

    [Fact]
    public async Task A_release_that_does_not_load_or_hashes_otherwise_is_rejected_and_the_tenant_keeps_its_model()
    {
        var registry = new InMemoryModelRegistry();
        using var models = new ActiveModels<SegmentationModel>(registry, new SegmentationReleaseLoader());
        var rejected = new List<ModelRejectedEventArgs>();
        models.Rejected += (_, e) => rejected.Add(e);
        await ActivateAsync(registry, "eu", "2026.1");
        Assert.True(models.TryGet("eu", out var v1));

        var broken = ModelJson("2026.3").Replace("\"default\": { \"id\": \"everyone\",", "\"fallback\": { \"id\": \"everyone\",", StringComparison.Ordinal);
        var bad = await PublishApprovedAsync(registry, new ModelRelease(new ReleaseKey("eu", ModelKind.Segmentation, "acme-segments", "2026.3"), broken, new string('a', 64)));
        await registry.ActivateAsync(bad.Key, "ops", "broken");
        var wrong = await PublishApprovedAsync(registry, new ModelRelease(new ReleaseKey("eu", ModelKind.Segmentation, "acme-segments", "2026.4"), ModelJson("2026.4"), new string('b', 64)));
        await registry.ActivateAsync(wrong.Key, "ops", "wrong hash");

        Assert.True(models.TryGet("eu", out var kept));
        Assert.Same(v1, kept);
        Assert.Equal([bad.Key, wrong.Key], rejected.Select(r => r.Key));
        Assert.NotEmpty(rejected[0].Problems);
        Assert.StartsWith("the content loads to hash ", Assert.Single(rejected[1].Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assignments_made_while_versions_are_activated_and_rolled_back_each_come_from_one_activated_version()
    {
        var registry = new InMemoryModelRegistry();
        using var models = new ActiveModels<SegmentationModel>(registry, new SegmentationReleaseLoader());
        var segmenter = models.SegmenterFor(TenantOf);
        var v1 = await ActivateAsync(registry, "eu", "2026.1");
        var v2 = await PublishApprovedAsync(registry, SegmentationReleaseLoader.CreateRelease("eu", ModelJson("2026.2")));
        var expected = new Dictionary<string, (string Hash, string Segment)> { ["2026.1"] = (v1.ContentHash, "general"), ["2026.2"] = (v2.ContentHash, "everyone") };
        var problems = new ConcurrentQueue<string>();
        int assigned = 0;
        using var stop = new CancellationTokenSource();

        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(() =>
        {
            for (int i = 0; (i < 100 || !stop.IsCancellationRequested) && i < 200_000; i++)
            {
                var a = segmenter.Assign(TestData.Lead($"eu/{w}-{i}", "Retail", 50, "US"), null);
                Interlocked.Increment(ref assigned);
                if (a.Model is not { } m || !expected.TryGetValue(m.Version, out var e) || e != (m.ContentHash, a.Segment.Value))
                {
                    problems.Enqueue($"{a.Segment} under {a.Model}");
                }
            }
        })).ToArray();

        for (int k = 0; k < 100; k++)
        {
            SpinWait.SpinUntil(() => Volatile.Read(ref assigned) >= k * 50, TimeSpan.FromSeconds(1));
            await registry.ActivateAsync(v2.Key, "ops", $"forward {k}");
            await registry.RollbackAsync("eu", ModelKind.Segmentation, "ops", $"back {k}");
        }

        stop.Cancel();
        await Task.WhenAll(workers);
        Assert.Empty(problems);
        Assert.True(assigned >= 800, $"{assigned} assignments");
    }
}
