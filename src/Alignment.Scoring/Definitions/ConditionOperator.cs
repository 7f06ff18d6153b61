namespace Alignment.Scoring.Definitions;

/// <summary>The operators a <see cref="FieldCondition"/> can use. A model is data: only these operators exist, so a model file cannot run code.</summary>
public enum ConditionOperator
{
    /// <summary><c>equals</c>: the field equals one value (text, number or flag).</summary>
    Equals = 0,

    /// <summary><c>in</c>: the field equals one of a set of values.</summary>
    In = 1,

    /// <summary><c>between</c>: a number within an inclusive range.</summary>
    Between = 2,

    /// <summary><c>gt</c>: a number greater than a value.</summary>
    GreaterThan = 3,

    /// <summary><c>gte</c>: a number at least a value.</summary>
    GreaterThanOrEqual = 4,

    /// <summary><c>lt</c>: a number less than a value.</summary>
    LessThan = 5,

    /// <summary><c>lte</c>: a number at most a value.</summary>
    LessThanOrEqual = 6,

    /// <summary><c>contains</c>: text contains a piece.</summary>
    Contains = 7,

    /// <summary><c>containsAny</c>: text contains at least one of several pieces.</summary>
    ContainsAny = 8,

    /// <summary><c>startsWith</c>: text starts with a piece.</summary>
    StartsWith = 9,

    /// <summary><c>isMissing</c>: the field has no value.</summary>
    IsMissing = 10,
}
