namespace Acme.PointsHelper;

/// <summary>Points a plugin computes through this library.</summary>
public static class Points
{
    /// <summary>3.25 points per character of the lead's source, at most 10.</summary>
    /// <param name="source">The lead's source.</param>
    /// <returns>The points.</returns>
    public static double ForSource(string? source) => Math.Min(10, 3.25 * (source?.Length ?? 0));
}
