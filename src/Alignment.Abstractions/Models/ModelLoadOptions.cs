namespace Alignment.Models;

/// <summary>
/// What every model load takes, whatever the model kind: the name of the document for messages and the bounds on what is read.
/// Each engine's load options derive from it (<c>ScoringModelOptions</c>, <c>SegmentationLoadOptions</c> …) and add their own
/// settings; a kind with nothing more to set (a scoring release) takes this class itself.
/// </summary>
/// <remarks>Settable; not thread-safe while being changed. A load reads it once and keeps no reference.</remarks>
public class ModelLoadOptions
{
    /// <summary>What the document is called in error messages and in <see cref="ModelException.Document"/> (for example its file path).</summary>
    /// <value>Defaults to <c>model</c>.</value>
    public string Document { get; set; } = "model";

    /// <summary>The bounds on the document (size, nesting, objects, array and string lengths).</summary>
    /// <value>Defaults to <see langword="null"/>: the defaults of <see cref="ModelReadLimits"/>.</value>
    public ModelReadLimits? Limits { get; set; }
}
