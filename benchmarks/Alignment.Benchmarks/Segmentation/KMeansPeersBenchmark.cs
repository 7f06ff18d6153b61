using System.Globalization;
using Alignment.Segmentation.Clustering;
using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Alignment.Benchmarks.Segmentation;

/// <summary>
/// The k-means peer workload: 1,000,000 points x 8 features from 8 Gaussian blobs (centres uniform in [-10, 10], standard deviations
/// in [1.0, 2.5]), every feature z-scored with the population standard deviation, k = 8. <c>Alignment</c> is one full
/// <see cref="KMeans.Fit"/> with its default options (10 restarts included); <c>MlNet</c> is one fit of ML.NET 5.0.1's KMeans trainer
/// (default options, seed 1) on the same points, from a cached IDataView. The setup prints both inertias, computed the same way
/// (<see cref="KMeans.Inertia"/> on the centroids each returns), and the best inertia of ten ML.NET fits (seeds 1–10).
/// </summary>
[MemoryDiagnoser]
public class KMeansPeersBenchmark
{
    private const int Rows = 1_000_000;
    private const int Dimensions = 8;
    private const int K = 8;

    private float[] _points = null!;
    private IDataView _data = null!;

    [GlobalSetup]
    public void Setup()
    {
        var blobs = GaussianBlobs.Generate(Rows, Dimensions, blobs: K, seed: 2026, standardize: true);
        _points = blobs.Points.ToArray();
        var rows = new Row[Rows];
        for (int i = 0; i < Rows; i++)
        {
            rows[i] = new Row { Features = _points.AsSpan(i * Dimensions, Dimensions).ToArray() };
        }

        var ml = new MLContext(seed: 1);
        _data = ml.Data.Cache(ml.Data.LoadFromEnumerable(rows));

        double alignment = KMeans.Fit(_points, Dimensions, new KMeansOptions { K = K }).Inertia;
        double best = double.PositiveInfinity;
        for (int seed = 1; seed <= 10; seed++)
        {
            double inertia = KMeans.Inertia(_points, Dimensions, Centroids(FitMlNet(seed)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// ML.NET seed {seed}: inertia {inertia:F1}"));
            best = Math.Min(best, inertia);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// Alignment inertia {alignment:F1}; best of ten ML.NET fits {best:F1}; Alignment / best = {alignment / best:F5}"));
    }

    [Benchmark(Baseline = true)]
    public int MlNet()
    {
        FitMlNet(1).Model.GetClusterCentroids(ref _centroidBuffer, out int k);
        return k;
    }

    [Benchmark]
    public double Alignment() => KMeans.Fit(_points, Dimensions, new KMeansOptions { K = K }).Inertia;

    private VBuffer<float>[] _centroidBuffer = [];

    private ClusteringPredictionTransformer<KMeansModelParameters> FitMlNet(int seed)
    {
        var ml = new MLContext(seed: seed);
        return ml.Clustering.Trainers.KMeans(new KMeansTrainer.Options { NumberOfClusters = K, FeatureColumnName = nameof(Row.Features) }).Fit(_data);
    }

    private static float[] Centroids(ClusteringPredictionTransformer<KMeansModelParameters> model)
    {
        VBuffer<float>[] centroids = [];
        model.Model.GetClusterCentroids(ref centroids, out int k);
        var flat = new float[k * Dimensions];
        for (int c = 0; c < k; c++)
        {
            centroids[c].DenseValues().ToArray().CopyTo(flat, c * Dimensions);
        }

        return flat;
    }

    private sealed class Row
    {
        [VectorType(Dimensions)]
        public float[] Features { get; set; } = [];
    }
}
