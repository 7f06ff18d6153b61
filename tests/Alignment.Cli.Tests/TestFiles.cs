namespace Alignment.Cli.Tests;

/// <summary>Small input files shared by the command tests.</summary>
internal static class TestFiles
{
    /// <summary>MQL at 20, hot at 50; Software gives 15 points and a grade step; a demo request gives 40.</summary>
    public static readonly string[] ScoringModel =
    [
        """{ "id": "t", "version": "1.0.0", "changeNote": "first",""",
        """  "thresholds": { "mql": { "score": 20, "minGrade": "F" }, "hot": { "score": 50, "minGrade": "F" } },""",
        """  "fit": [ { "id": "software", "points": 15, "grade": "+1", "when": { "field": "company.industry", "in": ["Software"] } } ],""",
        """  "engagement": [ { "id": "demo", "activity": "demoRequested", "points": 40 } ] }""",
    ];

    /// <summary>Version 1.1.0: Software gives 20 and a webinar rule is added.</summary>
    public static readonly string[] ScoringModelV2 =
    [
        """{ "id": "t", "version": "1.1.0", "changeNote": "software counts more",""",
        """  "thresholds": { "mql": { "score": 20, "minGrade": "F" }, "hot": { "score": 50, "minGrade": "F" } },""",
        """  "fit": [ { "id": "software", "points": 20, "grade": "+1", "when": { "field": "company.industry", "in": ["Software"] } } ],""",
        """  "engagement": [ { "id": "demo", "activity": "demoRequested", "points": 40 }, { "id": "webinar", "activity": "webinarAttended", "points": 5 } ] }""",
    ];

    /// <summary>A model with two errors: negative window and an unknown field.</summary>
    public static readonly string[] BrokenScoringModel =
    [
        """{ "id": "t", "version": "1.0.0",""",
        """  "thresholds": { "mql": { "score": 20, "minGrade": "F" } },""",
        """  "fit": [ { "id": "colour", "points": 15, "when": { "field": "attributes.favouriteColour", "in": ["red"] } } ],""",
        """  "engagement": [ { "id": "demo", "activity": "demoRequested", "points": 40, "windowDays": -3 } ] }""",
    ];
}

/// <summary>Segmentation, routing and clustering inputs shared by the command tests.</summary>
internal static class PolicyFiles
{
    public static readonly string[] Segments =
    [
        """{ "id": "acme-segments", "version": "1",""",
        """  "bands": [ { "name": "sizeBand", "field": "company.employeeCount", "values": [ { "name": "smb", "below": 100 }, { "name": "enterprise", "atLeast": 100 } ] } ],""",
        """  "segments": [""",
        """    { "id": "enterprise-software", "when": [ { "field": "company.industry", "in": ["Software"] }, { "field": "sizeBand", "in": ["enterprise"] } ] },""",
        """    { "id": "hot", "when": [ { "field": "score.grade", "atLeast": "B" } ] },""",
        """    { "id": "partners", "when": [ { "field": "attributes.isPartner", "in": ["true"] } ] } ],""",
        """  "default": { "id": "general" } }""",
    ];

    public static readonly string[] Policy =
    [
        """{ "id": "p1", "fallbackQueue": "unassigned", "rules": [""",
        """  { "id": "owner", "strategy": "accountOwner" },""",
        """  { "id": "hot", "match": { "score.state": ["hot"] }, "strategy": "roundRobin", "pool": { "teams": ["ae"] }, "slaMinutes": 15 },""",
        """  { "id": "uk", "match": { "company.country": ["GB"] }, "strategy": "loadBalanced", "pool": { "teams": ["uk"] }, "queue": "uk-queue" } ] }""",
    ];

    public static readonly string[] Roster =
    [
        """{ "reps": [ { "id": "ana", "team": "ae", "timeZone": "UTC" }, { "id": "bo", "team": "ae", "timeZone": "UTC" },""",
        """    { "id": "cy", "team": "uk", "timeZone": "Europe/London", "maxOpenLeads": 1 } ],""",
        """  "accounts": [ { "accountId": "acc-1", "owner": "bo" } ] }""",
    ];

    public static readonly string[] RoutingLeads =
    [
        "id,country,accountId,total,grade,state,createdAt",
        "R1,US,,80,A,hot,2026-03-02T10:00:00Z",
        "R2,US,,90,A,hot,2026-03-02T10:05:00Z",
        "R3,GB,,10,C,notQualified,2026-03-02T10:10:00Z",
        "R4,GB,,10,C,,2026-03-02T10:20:00Z",
        "R5,US,acc-1,,,,2026-03-02T10:30:00Z",
        "R6,FR,,,,,2026-03-02T10:40:00Z",
    ];
}
