using System.Collections.Immutable;

namespace Alignment.Models;

/// <summary>
/// Thrown when a model release lacks the sign-off of both sides on its current content (<see cref="ModelApprovals.GetProblems"/>): by
/// a scoring release's <c>EnsurePublishable</c>, and by an <see cref="Registry.IModelRegistry"/> asked to activate it.
/// </summary>
public sealed class ModelNotPublishableException : InvalidOperationException
{
    /// <summary>Creates the exception for a release and its problems.</summary>
    /// <param name="model">The model as the message names it, for example <c>Scoring model acme@1.2.0</c>.</param>
    /// <param name="problems">Every reason the model cannot be published.</param>
    public ModelNotPublishableException(string model, IEnumerable<string> problems)
        : this(model, [.. problems ?? throw new ArgumentNullException(nameof(problems))])
    {
    }

    /// <summary>Creates the exception.</summary>
    public ModelNotPublishableException() => Problems = [];

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ModelNotPublishableException(string message) : base(message) => Problems = [];

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ModelNotPublishableException(string message, Exception innerException) : base(message, innerException) => Problems = [];

    private ModelNotPublishableException(string model, ImmutableArray<string> problems)
        : base($"{model} cannot be published:{Environment.NewLine}" + string.Join(Environment.NewLine, problems.Select(p => "  " + p)))
    {
        Problems = problems;
    }

    /// <summary>Every reason the model cannot be published.</summary>
    public ImmutableArray<string> Problems { get; }
}
