namespace Alignment.Models;

/// <summary>The team an approval of a model release speaks for. A model is publishable (or, in a model registry, can be activated) only with an approval from each side.</summary>
public enum ApprovalSide
{
    /// <summary>Marketing: the team that generates and nurtures leads.</summary>
    Marketing = 0,

    /// <summary>Sales: the team that accepts and works qualified leads.</summary>
    Sales = 1,
}
