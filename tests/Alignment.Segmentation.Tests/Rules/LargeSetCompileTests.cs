using System.Globalization;
using System.Text;
using Alignment.Leads;
using Alignment.Segmentation.Rules;

namespace Alignment.Segmentation.Tests.Rules;

/// <summary>
/// Loading a model costs about linear in its sets of values. The validator allows at most 100 bands per set and 100 centroids per
/// clustering (docs/segmentation-model.md); a model at those limits loads small and matches exactly.
/// </summary>
public class LargeSetCompileTests
{
    private const int Count = 100;

    [Fact]
    public void The_most_bands_and_labels_allowed_compile_small_and_match_exactly()
    {
        static string Num(int i) => i.ToString(CultureInfo.InvariantCulture);
        var bands = string.Join(", ", Enumerable.Range(0, Count).Select(i => $$"""{ "name": "b{{Num(i)}}", "atLeast": {{Num(i * 10)}}, "below": {{Num((i * 10) + 10)}} }"""));
        var labels = string.Join(", ", Enumerable.Range(0, Count).Select(i => $$"""{ "label": "c{{Num(i)}}", "values": [{{Num(i * 10)}}] }"""));
        var odd = string.Join(", ", Enumerable.Range(0, Count).Where(i => i % 2 == 1).Select(i => $"\"B{Num(i)}\""));
        var oddLabels = string.Join(", ", Enumerable.Range(0, Count).Where(i => i % 2 == 1).Select(i => $"\"C{Num(i)}\""));
        var low = string.Join(", ", Enumerable.Range(0, Count / 2).Select(i => $"\"b{Num(i)}\""));
        var json = new StringBuilder().Append($$"""
            { "id": "m",
              "bands": [ { "name": "size", "field": "company.employeeCount", "values": [ {{bands}} ] } ],
              "clusterings": [ { "id": "k", "features": ["company.employeeCount"], "means": [0], "standardDeviations": [1], "centroids": [ {{labels}} ] } ],
              "segments": [
                { "id": "odd-low", "when": [ { "field": "size", "in": [ {{odd}} ] }, { "field": "size", "in": [ {{low}} ] } ] },
                { "id": "odd-cluster", "when": [ { "field": "cluster.k", "in": [ {{oddLabels}} ] } ] } ],
              "default": { "id": "rest" } }
            """).ToString();

        long before = GC.GetAllocatedBytesForCurrentThread();
        var model = SegmentationModelLoader.Load(json, null);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 8 << 20, $"loading allocated {allocated:N0} bytes");
        Assert.Equal("odd-low", Segment(model, 15));          // band b1: odd and in the lower half
        Assert.Equal("odd-low", Segment(model, 495));         // band b49
        Assert.Equal("odd-cluster", Segment(model, 515));     // band b51 is in the upper half; nearest centroid c51
        Assert.Equal("rest", Segment(model, 20));             // band b2, centroid c2: even
        Assert.Equal("odd-cluster", Segment(model, 1_000_000)); // no band; nearest centroid c99
    }

    private static string Segment(SegmentationModel model, int employees) =>
        model.Match(new Lead(new LeadId("l")) { Company = new CompanyProfile { EmployeeCount = employees } }, null).Segment.Value;
}
