namespace Alignment.Leads;

/// <summary>The type of a custom attribute.</summary>
public enum AttributeKind
{
    /// <summary>A number (stored as <see cref="double"/>).</summary>
    Number = 0,

    /// <summary>A piece of text.</summary>
    Text = 1,

    /// <summary>A yes/no flag.</summary>
    Boolean = 2,
}
