namespace Alignment.Cli.Tests;

/// <summary>Small input files shared by the command tests.</summary>
internal static class TestFiles
{
    /// <summary>MQL at 20, hot at 50; Software gives 15 points and a grade step; a demo request gives 40.</summary>
    public static readonly string[] ScoringModel =
    [
        """{ "id": "t", "version": "1.0.0", "changeNote": "first",""",
        """  "thresholds": { "mql": { "score": 20, "minGrade": "F" }, "hot": { "score": 50, "minGrade": "F" } },""",
        """  "fit": [ { "id": "software", "points": 15, "grade": "+1", "when": { "field": "industry", "in": ["Software"] } } ],""",
        """  "engagement": [ { "id": "demo", "activity": "demoRequested", "points": 40 } ] }""",
    ];

    /// <summary>Version 1.1.0: Software gives 20 and a webinar rule is added.</summary>
    public static readonly string[] ScoringModelV2 =
    [
        """{ "id": "t", "version": "1.1.0", "changeNote": "software counts more",""",
        """  "thresholds": { "mql": { "score": 20, "minGrade": "F" }, "hot": { "score": 50, "minGrade": "F" } },""",
        """  "fit": [ { "id": "software", "points": 20, "grade": "+1", "when": { "field": "industry", "in": ["Software"] } } ],""",
        """  "engagement": [ { "id": "demo", "activity": "demoRequested", "points": 40 }, { "id": "webinar", "activity": "webinarAttended", "points": 5 } ] }""",
    ];

    /// <summary>A model with two errors: negative window and an unknown field.</summary>
    public static readonly string[] BrokenScoringModel =
    [
        """{ "id": "t", "version": "1.0.0",""",
        """  "thresholds": { "mql": { "score": 20, "minGrade": "F" } },""",
        """  "fit": [ { "id": "colour", "points": 15, "when": { "field": "favouriteColour", "in": ["red"] } } ],""",
        """  "engagement": [ { "id": "demo", "activity": "demoRequested", "points": 40, "windowDays": -3 } ] }""",
    ];
}
