using Alignment.Activities;

namespace Alignment.Scoring.Definitions;

/// <summary>The names a scoring model file uses for activity types (camelCase of <see cref="ActivityType"/>, such as <c>pageView</c>).</summary>
public static class ScoringNames
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
}
