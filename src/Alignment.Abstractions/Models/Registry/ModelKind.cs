namespace Alignment.Models.Registry;

/// <summary>The kinds of model a <see cref="IModelRegistry"/> holds releases of, one active release per tenant and kind.</summary>
public enum ModelKind
{
    /// <summary>A scoring model (fit, engagement, grades, thresholds).</summary>
    Scoring = 0,

    /// <summary>A segmentation model (segments, playbooks, collateral).</summary>
    Segmentation = 1,

    /// <summary>A routing policy with its roster.</summary>
    Routing = 2,

    /// <summary>A nurture policy.</summary>
    Nurture = 3,
}
