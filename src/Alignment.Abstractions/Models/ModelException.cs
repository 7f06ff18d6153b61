using System.Collections.Immutable;

namespace Alignment.Models;

/// <summary>
/// Thrown by every engine's <c>Load</c> when a model document is invalid: it names the document and carries every problem found,
/// each with its JSON path. The <c>TryLoad</c> twin of each <c>Load</c> returns the same <see cref="Errors"/> instead of throwing.
/// </summary>
public sealed class ModelException : FormatException
{
    /// <summary>Creates the exception for a document and its problems.</summary>
    /// <param name="document">What the document is called in messages: a file path, or a name such as <c>scoring model</c>.</param>
    /// <param name="errors">Every problem found (at least one).</param>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> or <paramref name="errors"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="errors"/> is empty.</exception>
    public ModelException(string document, IEnumerable<ModelError> errors)
        : this(document ?? throw new ArgumentNullException(nameof(document)), Checked(errors))
    {
    }

    /// <summary>Creates the exception with no document and no errors (for serializers and mocks).</summary>
    public ModelException()
    {
        Document = string.Empty;
        Errors = [];
    }

    /// <summary>Creates the exception with a message and no errors.</summary>
    /// <param name="message">The message.</param>
    public ModelException(string message) : base(message)
    {
        Document = string.Empty;
        Errors = [];
    }

    /// <summary>Creates the exception with a message, an inner exception and no errors.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ModelException(string message, Exception innerException) : base(message, innerException)
    {
        Document = string.Empty;
        Errors = [];
    }

    private ModelException(string document, ImmutableArray<ModelError> errors)
        : base($"'{document}' is not a valid model ({errors.Length} problem{(errors.Length == 1 ? string.Empty : "s")}):{Environment.NewLine}" +
               string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
    {
        Document = document;
        Errors = errors;
    }

    /// <summary>What the document is called in messages: the file path given to the loader, or a name such as <c>scoring model</c>.</summary>
    /// <value>Never <see langword="null"/>; empty when the exception was created without a document.</value>
    public string Document { get; }

    /// <summary>Every problem found, in document order.</summary>
    /// <value>Empty only when the exception was created without errors.</value>
    public ImmutableArray<ModelError> Errors { get; }

    private static ImmutableArray<ModelError> Checked(IEnumerable<ModelError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ImmutableArray<ModelError> list = [.. errors];
        if (list.IsEmpty)
        {
            throw new ArgumentException("A model exception needs at least one error.", nameof(errors));
        }

        foreach (var error in list)
        {
            ArgumentNullException.ThrowIfNull(error, nameof(errors));
        }

        return list;
    }
}
