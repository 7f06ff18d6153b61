using System.Collections.Immutable;

namespace Alignment.Scoring.Definitions;

/// <summary>Thrown when a scoring model is invalid. Lists every problem with its JSON path; no partial model is ever produced.</summary>
public sealed class ScoringModelException : FormatException
{
    /// <summary>Creates the exception from the problems found.</summary>
    /// <param name="source">Where the model came from (a file name, or <c>model</c>).</param>
    /// <param name="errors">Every problem; at least one.</param>
    public ScoringModelException(string source, IEnumerable<ScoringModelError> errors)
        : this(source, [.. errors ?? throw new ArgumentNullException(nameof(errors))])
    {
    }

    private ScoringModelException(string source, ImmutableArray<ScoringModelError> errors)
        : base($"Scoring model '{source}' is invalid ({errors.Length} problem{(errors.Length == 1 ? string.Empty : "s")}):{Environment.NewLine}" +
               string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
    {
        Source = source;
        Errors = errors;
    }

    /// <summary>Creates the exception.</summary>
    public ScoringModelException() => Errors = [];

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ScoringModelException(string message) : base(message) => Errors = [];

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ScoringModelException(string message, Exception innerException) : base(message, innerException) => Errors = [];

    /// <summary>Every problem found, in document order.</summary>
    public ImmutableArray<ScoringModelError> Errors { get; }
}
