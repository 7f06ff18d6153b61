namespace Alignment.Models.Registry;

/// <summary>A compiled model as a host took it up, with the activation that made it active for its tenant.</summary>
/// <typeparam name="TModel">The compiled model.</typeparam>
public sealed class ActiveModel<TModel>
    where TModel : class
{
    /// <summary>Creates the pair.</summary>
    /// <param name="model">The compiled model.</param>
    /// <param name="activation">The activation it was compiled from.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public ActiveModel(TModel model, ModelActivation activation)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(activation);
        Model = model;
        Activation = activation;
    }

    /// <summary>The compiled model.</summary>
    public TModel Model { get; }

    /// <summary>The activation it was compiled from: the release (key, content hash, approvals), who activated it, when, why.</summary>
    public ModelActivation Activation { get; }

    /// <summary>The release's key.</summary>
    public ReleaseKey Key => Activation.Key;
}
