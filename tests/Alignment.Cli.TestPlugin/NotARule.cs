namespace Alignment.Cli.TestPlugin;

/// <summary>A public type that is not a rule: the tool ignores it.</summary>
public static class NotARule
{
    /// <summary>Something public.</summary>
    public const string Text = "not a rule";
}
