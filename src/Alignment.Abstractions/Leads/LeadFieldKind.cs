namespace Alignment.Leads;

/// <summary>The type of a field of the <see cref="LeadFields"/> catalogue, which decides the conditions a model can write on it.</summary>
public enum LeadFieldKind
{
    /// <summary>Text, compared case-insensitively (<c>in</c>, <c>equals</c>, <c>contains</c> …).</summary>
    Text = 0,

    /// <summary>A number (<c>gte</c>, <c>between</c> …).</summary>
    Number = 1,

    /// <summary>A grade such as <c>A</c> or <c>B+</c>, ordered from best to worst (<c>atLeast</c>, <c>in</c>).</summary>
    Grade = 2,

    /// <summary>A qualification state (<c>cold</c>, <c>warm</c>, <c>hot</c>).</summary>
    State = 3,
}
