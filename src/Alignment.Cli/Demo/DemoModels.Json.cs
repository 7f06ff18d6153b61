namespace Alignment.Cli.Demo;

/// <summary>The bundled model, policy and roster documents of the sample company, exactly as a team would keep them in files.</summary>
internal static partial class DemoModels
{
    /// <summary>The scoring standard both teams signed (the release adds the approvals beside it).</summary>
    public const string ScoringModelText = """
    {
      "id": "brightwave-lead-standard",
      "version": "3.2.0",
      "changeNote": "3.2.0: demo requests count 45 points; inactivity after 60 days costs 10. Agreed in the March alignment review.",
      "thresholds": { "mql": { "score": 60, "minGrade": "C" }, "hot": { "score": 100, "minGrade": "B" } },
      "fit": [
        { "id": "core-industry", "points": 15, "grade": "+1", "when": { "field": "company.industry", "in": ["Software", "Financial Services", "Marketing Agency", "Advertising Agency"] } },
        { "id": "adjacent-industry", "points": 5, "grade": "+1/3", "when": { "field": "company.industry", "in": ["Healthcare", "Retail", "Media"] } },
        { "id": "mid-market", "points": 10, "grade": "+2/3", "when": { "field": "company.employeeCount", "between": [100, 999] } },
        { "id": "enterprise", "points": 15, "grade": "+1", "when": { "field": "company.employeeCount", "gte": 1000 } },
        { "id": "decision-maker", "points": 12, "grade": "+1/3", "when": { "field": "person.seniority", "in": ["VP", "C-Level", "Director"] } },
        { "id": "manager", "points": 5, "when": { "field": "person.seniority", "equals": "Manager" } },
        { "id": "buying-department", "points": 5, "when": { "field": "person.department", "in": ["Sales", "Marketing", "Revenue Operations"] } },
        { "id": "served-country", "points": 5, "when": { "field": "company.country", "in": ["US", "GB", "IE", "CA", "AU", "NZ"] } },
        { "id": "tiny-company", "points": -5, "grade": "-1/3", "when": { "field": "company.employeeCount", "lt": 10 } }
      ],
      "engagement": [
        { "id": "pricing-page", "activity": "pageView", "urlContains": "/pricing", "points": 10, "windowDays": 30, "cap": 30, "decay": { "halfLifeDays": 14 } },
        { "id": "product-pages", "activity": "pageView", "urlContains": "/product", "points": 3, "windowDays": 30, "cap": 12 },
        { "id": "web-visits", "activity": "webVisit", "points": 2, "windowDays": 30, "cap": 10 },
        { "id": "content-download", "activity": "contentDownloaded", "points": 8, "windowDays": 60, "cap": 24, "decay": { "halfLifeDays": 30 } },
        { "id": "form-fill", "activity": "formSubmitted", "points": 10, "windowDays": 60, "cap": 20 },
        { "id": "email-clicks", "activity": "emailClicked", "points": 3, "windowDays": 30, "cap": 12, "decay": { "halfLifeDays": 7 } },
        { "id": "webinar-registered", "activity": "webinarRegistered", "points": 5, "windowDays": 60, "cap": 10 },
        { "id": "webinar-attended", "activity": "webinarAttended", "points": 15, "windowDays": 90, "cap": 30, "decay": { "steps": [ { "afterDays": 30, "factor": 0.5 }, { "afterDays": 60, "factor": 0.25 } ] } },
        { "id": "event-contact", "activity": "eventContact", "points": 15, "windowDays": 60, "cap": 30 },
        { "id": "demo-request", "activity": "demoRequested", "points": 45, "windowDays": 60, "cap": 45 }
      ],
      "negative": [
        { "id": "unsubscribed", "activity": "unsubscribed", "points": -50, "cap": 50 },
        { "id": "bounced", "activity": "bounced", "points": -20, "cap": 20 },
        { "id": "competitor", "points": -100, "grade": "-1", "when": { "field": "person.emailDomain", "in": ["rivalsoft.example"] } },
        { "id": "student", "points": -30, "grade": "-1", "when": { "field": "person.jobTitle", "containsAny": ["student", "intern"] } },
        { "id": "free-email", "points": -10, "when": { "field": "person.emailDomain", "in": ["gmail.example", "mail.example"] } },
        { "id": "inactive-60d", "inactiveDays": 60, "points": -10 }
      ]
    }
    """;

    /// <summary>The segmentation model: agencies first, then enterprise and mid-market by size; everyone else is small business.</summary>
    public const string SegmentationModelText = """
    {
      "id": "brightwave-segments",
      "version": "2025.1",
      "bands": [
        { "name": "sizeBand", "field": "company.employeeCount", "values": [
          { "name": "small", "below": 100 },
          { "name": "mid-market", "atLeast": 100, "below": 1000 },
          { "name": "enterprise", "atLeast": 1000 } ] }
      ],
      "segments": [
        { "id": "agency", "name": "Marketing and advertising agencies",
          "when": [ { "field": "company.industry", "in": ["Marketing Agency", "Advertising Agency"] } ],
          "playbook": {
            "valueProposition": "Prove campaign revenue to every client with one shared pipeline report per account.",
            "proofPoints": ["Client-ready revenue dashboards", "One workspace per client, one bill"],
            "dataPoints": ["Agencies cut monthly reporting time by 60 percent"],
            "caseStudies": [ { "title": "Northlight wins renewals with revenue proof", "customer": "Northlight Creative", "summary": "Client renewals up 22 percent after sharing pipeline dashboards." } ],
            "objections": [ { "objection": "Our clients each use a different CRM.", "response": "Connect each client CRM to its own workspace; reports share one template." } ]
          } },
        { "id": "enterprise", "name": "Enterprise",
          "when": [ { "field": "sizeBand", "in": ["enterprise"] } ],
          "playbook": {
            "valueProposition": "Forecast revenue accurately across every region with one governed pipeline model.",
            "proofPoints": ["SOC 2 Type II", "Regional data residency", "99.9 percent uptime SLA"],
            "dataPoints": ["Forecast error down from 18 to 6 percent in two quarters"],
            "caseStudies": [ { "title": "Globex forecasts within 5 percent", "customer": "Globex", "summary": "One pipeline model across 14 countries." } ],
            "objections": [ { "objection": "We already forecast in spreadsheets.", "response": "Keep the spreadsheet view; the numbers come from one governed model." } ]
          } },
        { "id": "mid-market", "name": "Mid-market",
          "when": [ { "field": "sizeBand", "in": ["mid-market"] } ],
          "playbook": {
            "valueProposition": "Give sales and marketing one pipeline view so growing teams forecast revenue with confidence.",
            "proofPoints": ["Live in two weeks", "Native CRM sync"],
            "dataPoints": ["Teams reach forecast accuracy of 90 percent in the first quarter"],
            "caseStudies": [ { "title": "Initech aligns sales and marketing", "customer": "Initech", "summary": "MQL to SQL conversion doubled in six months." } ]
          } }
      ],
      "default": { "id": "small-business", "name": "Small business",
        "playbook": {
          "valueProposition": "See your whole pipeline in one place and know which leads to call today.",
          "proofPoints": ["Set up in an afternoon", "Free CRM connector"],
          "caseStudies": [ { "title": "Bluebird doubles its demos", "customer": "Bluebird Bakery Supplies", "summary": "Two reps, twice the demos, no new hires." } ]
        } }
    }
    """;

    /// <summary>
    /// The routing policy: hot leads go straight to a field rep with a 15-minute service level; other MQLs are qualified first
    /// by inside sales (24 hours); once qualified, agencies go to the agency specialists, English-speaking countries outside the
    /// US to the UK team, everyone else to the US account executives.
    /// </summary>
    public const string RoutingPolicyText = """
    {
      "id": "brightwave-routing-2025",
      "fallbackQueue": "unassigned",
      "defaultSlaMinutes": 1440,
      "rules": [
        { "id": "hot-agency", "match": { "score.state": ["hot"], "segment.id": ["agency"] },
          "strategy": "roundRobin", "pool": { "teams": ["agency"] }, "availability": "wait", "slaMinutes": 15,
          "escalation": { "notifyManager": true } },
        { "id": "hot-english-speaking", "match": { "score.state": ["hot"], "company.country": ["GB", "IE", "CA", "AU", "NZ", "ZA", "SG", "IN"] },
          "strategy": "roundRobin", "pool": { "teams": ["uk"] }, "availability": "wait", "slaMinutes": 15,
          "escalation": { "notifyManager": true } },
        { "id": "hot-us-and-rest", "match": { "score.state": ["hot"] },
          "strategy": "roundRobin", "pool": { "teams": ["us-ae"] }, "availability": "wait", "slaMinutes": 15,
          "escalation": { "notifyManager": true } },
        { "id": "qualify", "qualification": true, "match": { "score.state": ["mql"] },
          "strategy": "loadBalanced", "pool": { "teams": ["inside-sales"] }, "availability": "wait", "slaMinutes": 1440 },
        { "id": "agency", "match": { "segment.id": ["agency"] },
          "strategy": "roundRobin", "pool": { "teams": ["agency"] }, "availability": "wait" },
        { "id": "english-speaking", "match": { "company.country": ["GB", "IE", "CA", "AU", "NZ", "ZA", "SG", "IN"] },
          "strategy": "roundRobin", "pool": { "teams": ["uk"] }, "availability": "wait" },
        { "id": "us-and-rest",
          "strategy": "roundRobin", "pool": { "teams": ["us-ae"] }, "availability": "wait" }
      ]
    }
    """;

    /// <summary>The sales roster: 4 US account executives, 3 UK reps, 4 agency specialists, 3 inside-sales reps and the sales VP.</summary>
    public const string RosterText = """
    {
      "reps": [
        { "id": "us-ae-avery", "team": "us-ae", "languages": ["en"], "territories": ["US"], "timeZone": "America/New_York", "maxOpenLeads": 60, "maxLeadsPerDay": 25, "manager": "vp-sales-morgan",
          "workingHours": [ { "days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "18:00" } ] },
        { "id": "us-ae-blake", "team": "us-ae", "languages": ["en"], "territories": ["US"], "timeZone": "America/Chicago", "maxOpenLeads": 60, "maxLeadsPerDay": 25, "manager": "vp-sales-morgan",
          "workingHours": [ { "days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "18:00" } ] },
        { "id": "us-ae-casey", "team": "us-ae", "languages": ["en", "es"], "territories": ["US"], "timeZone": "America/Denver", "maxOpenLeads": 60, "maxLeadsPerDay": 25, "manager": "vp-sales-morgan",
          "workingHours": [ { "days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "18:00" } ] },
        { "id": "us-ae-devon", "team": "us-ae", "languages": ["en"], "territories": ["US"], "timeZone": "America/Los_Angeles", "maxOpenLeads": 60, "maxLeadsPerDay": 25, "manager": "vp-sales-morgan",
          "workingHours": [ { "days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "18:00" } ] },
        { "id": "uk-ellis", "team": "uk", "languages": ["en"], "territories": ["GB", "IE", "CA", "AU", "NZ", "ZA", "SG", "IN"], "timeZone": "Europe/London", "maxOpenLeads": 60, "maxLeadsPerDay": 25, "manager": "vp-sales-morgan",
          "workingHours": [ { "days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "18:00" } ] },
        { "id": "uk-finley", "team": "uk", "languages": ["en"], "territories": ["GB", "IE", "CA", "AU", "NZ", "ZA", "SG", "IN"], "timeZone": "Europe/London", "maxOpenLeads": 60, "maxLeadsPerDay": 25, "manager": "vp-sales-morgan",
          "workingHours": [ { "days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "18:00" } ] },
        { "id": "uk-harper", "team": "uk", "languages": ["en"], "territories": ["GB", "IE", "CA", "AU", "NZ", "ZA", "SG", "IN"], "timeZone": "Europe/London", "maxOpenLeads": 60, "maxLeadsPerDay": 25, "manager": "vp-sales-morgan",
          "workingHours": [ { "days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "18:00" } ] },
        { "id": "agency-indigo", "team": "agency", "skills": ["agency"], "languages": ["en"], "timeZone": "America/New_York", "maxOpenLeads": 50, "maxLeadsPerDay": 20, "manager": "vp-sales-morgan",
          "workingHours": [ { "days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "18:00" } ] },
        { "id": "agency-jordan", "team": "agency", "skills": ["agency"], "languages": ["en"], "timeZone": "America/Chicago", "maxOpenLeads": 50, "maxLeadsPerDay": 20, "manager": "vp-sales-morgan",
          "workingHours": [ { "days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "18:00" } ] },
        { "id": "agency-kai", "team": "agency", "skills": ["agency"], "languages": ["en"], "timeZone": "Europe/London", "maxOpenLeads": 50, "maxLeadsPerDay": 20, "manager": "vp-sales-morgan",
          "workingHours": [ { "days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "18:00" } ] },
        { "id": "agency-lane", "team": "agency", "skills": ["agency"], "languages": ["en"], "timeZone": "America/Los_Angeles", "maxOpenLeads": 50, "maxLeadsPerDay": 20, "manager": "vp-sales-morgan",
          "workingHours": [ { "days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "18:00" } ] },
        { "id": "isr-marlow", "team": "inside-sales", "languages": ["en"], "timeZone": "America/New_York", "maxOpenLeads": 80, "maxLeadsPerDay": 40, "manager": "vp-sales-morgan",
          "workingHours": [ { "days": ["mon", "tue", "wed", "thu", "fri"], "start": "07:00", "end": "19:00" } ] },
        { "id": "isr-noel", "team": "inside-sales", "languages": ["en"], "timeZone": "America/Chicago", "maxOpenLeads": 80, "maxLeadsPerDay": 40, "manager": "vp-sales-morgan",
          "workingHours": [ { "days": ["mon", "tue", "wed", "thu", "fri"], "start": "07:00", "end": "19:00" } ] },
        { "id": "isr-oakley", "team": "inside-sales", "languages": ["en"], "timeZone": "Europe/London", "maxOpenLeads": 80, "maxLeadsPerDay": 40, "manager": "vp-sales-morgan",
          "workingHours": [ { "days": ["mon", "tue", "wed", "thu", "fri"], "start": "07:00", "end": "19:00" } ] },
        { "id": "vp-sales-morgan", "team": "leadership", "languages": ["en"], "timeZone": "America/New_York" }
      ]
    }
    """;

    /// <summary>The nurture tracks marketing runs.</summary>
    public const string NurturePolicyText = """
    {
      "id": "brightwave-nurture",
      "version": "2025.1",
      "contentMaxAgeDays": 365,
      "tracks": [
        { "id": "webinar-no-show", "priority": 10, "entryReasons": ["webinarNoShow"], "cadenceDays": 2, "onExhausted": "monthly",
          "steps": [ { "id": "recording", "kind": "email", "topic": "webinar-recording" }, { "id": "rep-call", "kind": "repCallTask" } ] },
        { "id": "event-follow-up", "priority": 5, "entryReasons": ["eventContact"], "cadenceDays": 5, "onExhausted": "monthly",
          "steps": [ { "id": "recap", "kind": "email", "topic": "event-recap" }, { "id": "case-study", "kind": "email", "topic": "case-study" }, { "id": "call", "kind": "repCallTask" } ] },
        { "id": "recycled", "priority": 3, "entryReasons": ["recycledTiming", "lostDeal"], "cadenceDays": 21, "maxDaysOnTrack": 120, "onExhausted": "monthly",
          "quietPeriods": [ { "name": "year end", "from": "12-20", "to": "01-04" } ],
          "steps": [ { "id": "check-in", "kind": "email", "topic": "guide" }, { "id": "case-study", "kind": "email", "topic": "case-study" }, { "id": "call", "kind": "repCallTask" } ] },
        { "id": "agency-welcome", "priority": 1, "segments": ["agency"], "cadenceDays": 7, "onExhausted": "monthly",
          "steps": [ { "id": "guide", "kind": "email", "topic": "guide" }, { "id": "case-study", "kind": "email", "topic": "case-study" } ] },
        { "id": "welcome", "cadenceDays": 7, "onExhausted": "monthly",
          "steps": [ { "id": "guide", "kind": "email", "topic": "guide" }, { "id": "case-study", "kind": "email", "topic": "case-study" }, { "id": "newsletter", "kind": "email", "topic": "newsletter" } ] },
        { "id": "monthly", "cadenceDays": 30, "onExhausted": "monthly", "quietDays": ["saturday", "sunday"],
          "steps": [ { "id": "newsletter", "kind": "email", "topic": "newsletter" } ] }
      ]
    }
    """;
}
