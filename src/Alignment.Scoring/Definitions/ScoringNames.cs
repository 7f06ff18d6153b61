using Alignment.Activities;

namespace Alignment.Scoring.Definitions;

/// <summary>The names a scoring model file uses for activity types (camelCase of <see cref="ActivityType"/>, such as <c>pageView</c>).</summary>
internal static class ScoringNames
{
    private static readonly string[] Activities =
    [
        "emailSent", "emailOpened", "emailClicked", "webVisit", "pageView", "formSubmitted", "contentDownloaded", "webinarInvited",
        "webinarRegistered", "webinarAttended", "eventContact", "demoRequested", "unsubscribed", "bounced", "salesCall", "salesMeeting",
    ];

    /// <summary>The model-file name of an activity type.</summary>
    /// <param name="type">The activity type.</param>
    /// <returns>Its name, such as <c>pageView</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not defined.</exception>
    public static string ActivityName(ActivityType type) =>
        (uint)type < (uint)Activities.Length ? Activities[(int)type] : throw new ArgumentOutOfRangeException(nameof(type), type, "Not a defined activity type.");

    /// <summary>Reads an activity type from its model-file name (case-insensitive).</summary>
    /// <param name="name">The name, such as <c>pageView</c>.</param>
    /// <param name="type">The type, when the name is known.</param>
    /// <returns><see langword="true"/> when the name is an activity type.</returns>
    public static bool TryParseActivity(string? name, out ActivityType type)
    {
        for (int i = 0; i < Activities.Length; i++)
        {
            if (string.Equals(Activities[i], name, StringComparison.OrdinalIgnoreCase))
            {
                type = (ActivityType)i;
                return true;
            }
        }

        type = default;
        return false;
    }

    /// <summary>Every activity name, in <see cref="ActivityType"/> order.</summary>
    public static IReadOnlyList<string> ActivityNames => Activities;

    /// <summary>
    /// The first character an identifier (a model, rule, category, attribute, plugin or approver name) may not hold, or -1: control
    /// characters (U+0000 to U+001F, including tab and line breaks, U+007F to U+009F) and the invisible bidirectional formatting
    /// characters (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069), which can make a name read differently in a
    /// terminal or a review than it compares.
    /// </summary>
    /// <param name="name">The identifier.</param>
    /// <returns>The index of the first refused character, or -1 when there is none (or <paramref name="name"/> is null).</returns>
    internal static int IndexOfRefusedCharacter(string? name)
    {
        if (name is null)
        {
            return -1;
        }

        for (int i = 0; i < name.Length; i++)
        {
            if (IsRefusedInIdentifier(name[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The problem with an identifier's characters, for an error message, or <see langword="null"/> when it has none.</summary>
    /// <param name="name">The identifier.</param>
    /// <param name="what">What it is, for example <c>a rule id</c>.</param>
    /// <returns>The message (it does not repeat the identifier, which could disturb the terminal that shows it).</returns>
    internal static string? DescribeRefusedCharacter(string? name, string what)
    {
        int i = IndexOfRefusedCharacter(name);
        return i < 0
            ? null
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{what} cannot hold control or bidirectional formatting characters; found U+{(int)name![i]:X4} at position {i + 1}");
    }

    private static bool IsRefusedInIdentifier(char c) =>
        c < '\u0020' || c is >= '\u007F' and <= '\u009F' || c is '\u061C' or '\u200E' or '\u200F' or >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';
}
