namespace Alignment.Scoring;

/// <summary>
/// The fit grade of a lead on a 13-step scale from <see cref="F"/> to <see cref="APlus"/>. Each step is a third of a letter;
/// every lead starts at <see cref="D"/>. The numeric values are ordered, so grades compare with <c>&lt;</c> and <c>&gt;=</c>.
/// </summary>
public enum Grade
{
    /// <summary>F: no fit.</summary>
    F = 0,

    /// <summary>D-.</summary>
    DMinus = 1,

    /// <summary>D: where every lead starts.</summary>
    D = 2,

    /// <summary>D+.</summary>
    DPlus = 3,

    /// <summary>C-.</summary>
    CMinus = 4,

    /// <summary>C.</summary>
    C = 5,

    /// <summary>C+.</summary>
    CPlus = 6,

    /// <summary>B-.</summary>
    BMinus = 7,

    /// <summary>B.</summary>
    B = 8,

    /// <summary>B+.</summary>
    BPlus = 9,

    /// <summary>A-.</summary>
    AMinus = 10,

    /// <summary>A.</summary>
    A = 11,

    /// <summary>A+: the best fit.</summary>
    APlus = 12,
}
