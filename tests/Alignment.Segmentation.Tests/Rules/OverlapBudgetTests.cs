using Alignment.Models;
using System.Globalization;
using System.Text;
using Alignment.Segmentation.Rules;

namespace Alignment.Segmentation.Tests.Rules;

// Issue 13: every pair of definitions is compared for overlaps; the comparisons are hash probes from the smaller set, and their
// total is bounded, so a model within every other limit cannot stall a load.
public sealed class OverlapBudgetTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Load_500DefinitionsSharing2800Values_IsRefusedNamingTheBudget_WithoutTheWork()
    {
        // 500 definitions x 2,800 shared industry values: about 14 MB, within every read limit. The old pairwise ImmutableSortedSet
        // intersections did not finish in 10 minutes (and allocated gigabytes); over the budget it is refused after the read.
        string values = string.Join(", ", Enumerable.Range(0, 2_800).Select(i => $"\"i{i.ToString("D5", CultureInfo.InvariantCulture)}\""));
        string json = Model(Enumerable.Range(0, SegmentationModelChecks.MaxSegments).Select(_ => values));

        Assert.InRange(json.Length, 13_000_000, 16_000_000);
        var (errors, allocated) = await LoadGuarded(json);

        var error = Assert.Single(errors);
        Assert.Equal("$.segments", error.Path);
        Assert.Contains("needs more than 20,000,000 value comparisons (the overlap analysis budget", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 1L << 30, $"loading allocated {allocated:N0} bytes");
    }

    [Fact]
    public void Load_ManyDefinitionsWithinTheBudget_ReportsEveryOverlapAsBefore()
    {
        // 200 definitions of 52 or 101 values: 19,900 pairs, within the budget. Definition i shares only 'v<i+1>' with definition i+1
        // (spelled 'V' in even definitions); the example is the smallest shared value, spelled as the later definition spells it,
        // whichever of the two sets is probed.
        static string Values(int i) => string.Join(", ", Enumerable.Range(0, i % 2 == 0 ? 99 : 50).Select(j => $"\"d{i}-{j:D2}\"")
            .Append(i % 2 == 0 ? $"\"V{i}\"" : $"\"v{i}\"").Append($"\"v{i + 1}\""));

        var model = SegmentationModelLoader.Load(Model(Enumerable.Range(0, 200).Select(i => Values(i))), null);

        Assert.Equal(199, model.Overlaps.Length);
        Assert.Equal(
            "'s0' and 's1' can both match (for example company.industry = v1); 's0' wins.",
            model.Overlaps[0].ToString());
        Assert.Equal(
            "'s1' and 's2' can both match (for example company.industry = V2); 's1' wins.",
            model.Overlaps[1].ToString());
    }

    private static string Model(IEnumerable<string> valueLists)
    {
        var sb = new StringBuilder("""{ "id": "m", "segments": [""");
        int i = 0;
        foreach (var values in valueLists)
        {
            sb.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $$"""{ "id": "s{{i++}}", "when": [ { "field": "company.industry", "in": [{{values}}] } ] }""");
        }

        return sb.Append("""], "default": { "id": "rest" } }""").ToString();
    }

    private static async Task<(IReadOnlyList<ModelError> Errors, long Allocated)> LoadGuarded(string json)
    {
        var load = Task.Run(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            SegmentationModelLoader.TryLoad(json, null, out _, out var errors);
            return (errors, GC.GetAllocatedBytesForCurrentThread() - before);
        });
        var finished = await Task.WhenAny(load, Task.Delay(HangGuard));
        Assert.True(finished == load, $"loading did not finish within {HangGuard}");
        return await load;
    }
}
