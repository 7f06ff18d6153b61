namespace Alignment.Models.Registry;

/// <summary>A release a host did not take up (its content does not load, or its hash is not the one approved): the host keeps the model it had.</summary>
public sealed class ModelRejectedEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="key">The release.</param>
    /// <param name="problems">Why it was not taken up.</param>
    /// <exception cref="ArgumentNullException"><paramref name="problems"/> is null.</exception>
    public ModelRejectedEventArgs(ReleaseKey key, IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        Key = key;
        Problems = problems;
    }

    /// <summary>The release.</summary>
    public ReleaseKey Key { get; }

    /// <summary>Why it was not taken up, one problem per entry (a JSON path and message for an invalid model).</summary>
    public IReadOnlyList<string> Problems { get; }
}
