using System.Collections.Immutable;

namespace Alignment.Segmentation.Rules;

/// <summary>A segmentation model could not be loaded; <see cref="Errors"/> lists every problem found, each with its JSON path.</summary>
public sealed class SegmentationModelException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SegmentationModelException()
        : this([])
    {
    }

    /// <summary>Creates the exception with a message and no listed errors.</summary>
    /// <param name="message">The message.</param>
    public SegmentationModelException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public SegmentationModelException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Creates the exception listing every error.</summary>
    /// <param name="errors">The errors.</param>
    public SegmentationModelException(IEnumerable<SegmentationModelError> errors)
        : this(errors is null ? [] : [.. errors])
    {
    }

    private SegmentationModelException(ImmutableArray<SegmentationModelError> errors)
        : base(Format(errors))
    {
        Errors = errors;
    }

    /// <summary>Every problem found, in document order.</summary>
    public ImmutableArray<SegmentationModelError> Errors { get; }

    private static string Format(ImmutableArray<SegmentationModelError> errors) =>
        $"The segmentation model is invalid ({errors.Length} problem{(errors.Length == 1 ? "" : "s")}):" + string.Concat(errors.Select(e => Environment.NewLine + "  " + e));
}
