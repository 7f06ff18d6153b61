namespace Alignment.Scoring.Tests.Governance;

/// <summary>Compares lists of strings as text, so a failure shows the first differing character.</summary>
internal static class Lines
{
    public static void Equal(IEnumerable<string> expected, IEnumerable<string> actual) =>
        Assert.Equal(string.Join("\n", expected), string.Join("\n", actual));
}
