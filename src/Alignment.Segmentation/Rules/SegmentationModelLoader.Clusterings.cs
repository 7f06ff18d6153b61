using Alignment.Segmentation.Definitions;

namespace Alignment.Segmentation.Rules;

/// <content>Clusterings: features, standardization and labelled centroids that conditions refer to as cluster.&lt;id&gt;.</content>
public static partial class SegmentationModelLoader
{
    private sealed partial class Compiler
    {
        private void CompileClustering(ClusteringDocument? c, string path)
        {
            if (c is null)
            {
                Error(path, "A clustering cannot be null.");
                return;
            }

            bool ok = true;
            if (string.IsNullOrWhiteSpace(c.Id) || _clusterings.ContainsKey(c.Id))
            {
                Error($"{path}.id", string.IsNullOrWhiteSpace(c.Id) ? "The clustering needs an id." : $"The clustering id '{c.Id}' is used twice.");
                ok = false;
            }

            var features = new List<NumberField>();
            for (int i = 0; i < (c.Features?.Count ?? 0); i++)
            {
                if (FieldCatalog.TryNumber(c.Features![i] ?? "", options.Schema, out var f))
                {
                    features.Add(f);
                }
                else
                {
                    Error($"{path}.features[{i}]", $"'{c.Features[i]}' is not a number field.");
                    ok = false;
                }
            }

            int d = c.Features?.Count ?? 0;
            if (d == 0)
            {
                Error($"{path}.features", "The clustering needs at least one feature.");
                ok = false;
            }

            if (c.Means?.Count != d || c.Means.Any(m => !double.IsFinite(m)))
            {
                Error($"{path}.means", $"Expected {d} finite means, one per feature.");
                ok = false;
            }

            if (c.StandardDeviations?.Count != d || c.StandardDeviations.Any(s => !double.IsFinite(s) || s <= 0))
            {
                Error($"{path}.standardDeviations", $"Expected {d} finite standard deviations greater than zero, one per feature.");
                ok = false;
            }

            if (c.Centroids is not { Count: > 0 })
            {
                Error($"{path}.centroids", "The clustering needs at least one centroid.");
                return;
            }

            var labels = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (int i = 0; i < c.Centroids.Count; i++)
            {
                var centroid = c.Centroids[i];
                if (centroid is null || string.IsNullOrWhiteSpace(centroid.Label) || !labels.Add(centroid.Label))
                {
                    Error($"{path}.centroids[{i}].label", "Each centroid needs a label, unique within the clustering.");
                    ok = false;
                }

                if (centroid?.Values?.Count != d || centroid.Values.Any(v => !double.IsFinite(v)))
                {
                    Error($"{path}.centroids[{i}].values", $"Expected {d} finite values, one per feature, in original units.");
                    ok = false;
                }
            }

            if (!ok)
            {
                return;
            }

            var standardized = new double[c.Centroids.Count * d];
            for (int i = 0; i < c.Centroids.Count; i++)
            {
                for (int j = 0; j < d; j++)
                {
                    standardized[(i * d) + j] = (c.Centroids[i].Values![j] - c.Means![j]) / c.StandardDeviations![j];
                }
            }

            _clusterings[c.Id!] = new CompiledClustering(c.Id!, [.. features], [.. c.Means!], [.. c.StandardDeviations!], standardized, [.. c.Centroids.Select(x => x.Label!)]);
        }
    }
}
