using Alignment.Leads;
using Alignment.Segmentation.Clustering;
using Alignment.Segmentation.Definitions;
using Alignment.Segmentation.Rules;

namespace Alignment.Segmentation.Tests.Clustering;

public sealed class ClusterAnalysisTests
{
    // Two obvious groups of accounts: small (about 50 employees, 1 M revenue) and large (about 5,000 employees, 900 M revenue).
    private static FeatureTable Accounts()
    {
        var values = new List<double>();
        for (int i = 0; i < 40; i++)
        {
            values.AddRange(i % 2 == 0 ? [50 + (i % 5), 1_000_000 + (i * 1000)] : [5000 + (i % 7), 900_000_000 + (i * 1000)]);
        }

        return new FeatureTable(["employees", "revenue"], [.. values]);
    }

    [Fact]
    public void Run_SeveralK_ReportsInertiaSilhouetteAndCentroidsInOriginalUnits()
    {
        var report = ClusterAnalysis.Run(Accounts(), [3, 1, 2], new KMeansOptions { Seed = 5 });
        Assert.Equal([1, 2, 3], report.Runs.Select(r => r.K));
        Assert.True(double.IsNaN(report.Runs[0].Silhouette));
        Assert.True(report.Runs[1].Silhouette > 0.95);
        Assert.True(report.Runs[0].Inertia > report.Runs[1].Inertia);
        Assert.Equal(2, report.BestBySilhouette!.K);
        var small = report.Runs[1].Clusters.Single(c => c.Centroid[0] < 1000);
        Assert.Equal(20, small.Size);
        Assert.Equal(0.5, small.Share);
        // Centroids are float z-scores turned back into units: exact to about 1e-7 of a standard deviation.
        Assert.Equal(52, small.Centroid[0], 1e-7 * report.Standardizer.StandardDeviations[0] * 10);           // mean of 50 + (i % 5) over even i
        Assert.Equal(1_019_000, small.Centroid[1], 1e-7 * report.Standardizer.StandardDeviations[1] * 10);    // mean of 1,000,000 + 1000 i over even i
        Assert.Equal(80.0, report.Runs[0].Inertia, 1e-5); // k = 1: n · features in the standardised space (float data)
    }

    [Fact]
    public void ToSegmentDocument_ClusterBecomesANamedNearestCentroidSegment()
    {
        var run = ClusterAnalysis.Run(Accounts(), [2], new KMeansOptions { Seed = 5 }).Runs[0];
        var large = run.Clusters.Single(c => c.Centroid[0] > 1000);
        var labels = run.Clusters.Select(c => c == large ? "large" : "small").ToList();
        var document = new SegmentationModelDocument
        {
            Id = "from-clusters",
            Clusterings = [run.ToClusteringDocument("accounts", [LeadFields.CompanyEmployeeCount.Name, LeadFields.CompanyAnnualRevenue.Name], labels)],
            Segments = [ClusteringRun.ToSegmentDocument("accounts", "large", "large-accounts", "Large accounts")],
            Default = new SegmentDocument { Id = "other" },
        };
        var model = SegmentationModelLoader.Load(SegmentationModelLoader.WriteDocument(document), null);
        Assert.Equal("large-accounts", model.Assign(new Alignment.Leads.Lead(new("a")) { Company = new() { EmployeeCount = 4000, AnnualRevenue = 700_000_000 } }, null).Segment.Value);
        Assert.Equal("other", model.Assign(new Alignment.Leads.Lead(new("b")) { Company = new() { EmployeeCount = 80, AnnualRevenue = 2_000_000 } }, null).Segment.Value);
        Assert.Equal("other", model.Assign(new Alignment.Leads.Lead(new("c")) { Company = new() { EmployeeCount = 4000 } }, null).Segment.Value);
    }
}
