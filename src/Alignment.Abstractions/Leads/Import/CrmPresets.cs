using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Alignment.Activities;

namespace Alignment.Leads.Import;

/// <summary>
/// The mappings of the CRM and marketing automation exports our users have, written from each tool's public documentation of its
/// export and report columns (labels and API names), activity types, stages and date formats. docs/data-formats.md tables them.
/// </summary>
/// <remarks>
/// Immutable and thread-safe. A preset does not say a culture or a time zone where the tool writes dates in the exporting user's
/// locale or zone (Salesforce reports, Dynamics 365 exports, HubSpot and Odoo exports without an offset): give them with the export.
/// </remarks>
public static class CrmPresets
{
    /// <summary>Salesforce: lead and contact reports, campaign members and tasks (report labels and API names).</summary>
    public static CrmMapping Salesforce { get; } = Build(
        "salesforce",
        "Salesforce lead and contact reports, campaign member reports and task exports (Data Loader API names or report labels); dates in the exporting user's locale.",
        [
            ("id", ["Lead ID", "Contact ID", "Id", "LeadId", "ContactId", "18 Digit Lead ID", "Lead ID (18)"]),
            ("company", ["Company", "Company / Account", "Account Name", "Account"]),
            ("companyDomain", ["Website", "Company Website"]),
            ("industry", ["Industry"]),
            ("employeeCount", ["No. of Employees", "NumberOfEmployees", "Employees"]),
            ("annualRevenue", ["Annual Revenue", "AnnualRevenue"]),
            ("country", ["Country", "Country Code", "CountryCode", "Mailing Country", "MailingCountry", "MailingCountryCode"]),
            ("region", ["State/Province", "State", "Mailing State/Province", "MailingState"]),
            ("jobTitle", ["Title"]),
            ("department", ["Department"]),
            ("email", ["Email"]),
            ("source", ["Lead Source", "LeadSource"]),
            ("campaign", ["Campaign Name", "Campaign", "CampaignId", "Campaign ID"]),
            ("createdAt", ["Created Date", "CreatedDate", "Create Date"]),
            ("outcome", ["Lead Status", "Status", "Stage", "StageName", "Opportunity Stage"]),
            ("closedAt", ["Converted Date", "ConvertedDate", "Close Date", "CloseDate"]),
            ("leadId", ["WhoId", "Name ID", "Lead/Contact ID"]),
            ("type", ["Task Subtype", "TaskSubtype", "Type", "Task Type", "Member Status"]),
            ("timestamp", ["Activity Date", "ActivityDate", "Date", "Due Date", "First Responded Date", "FirstRespondedDate", "Completed Date/Time", "CompletedDateTime"]),
            ("", ["First Name", "FirstName", "Last Name", "LastName", "Name", "Subject", "Rating", "Phone", "Owner", "Lead Owner", "Contact Owner", "OwnerId"]),
        ],
        [
            ("Email", ActivityType.EmailSent), ("List Email", ActivityType.EmailSent), ("ListEmail", ActivityType.EmailSent),
            ("Call", ActivityType.SalesCall), ("Meeting", ActivityType.SalesMeeting), ("Event", ActivityType.SalesMeeting),
            ("Sent", ActivityType.EmailSent), ("Responded", ActivityType.FormSubmitted), ("Registered", ActivityType.WebinarRegistered),
            ("Attended", ActivityType.WebinarAttended), ("Invited", ActivityType.WebinarInvited),
        ],
        [
            ("Closed - Converted", "won"), ("Closed - Not Converted", "lost"), ("Open - Not Contacted", "open"), ("Working - Contacted", "open"),
            ("Closed Won", "won"), ("Closed Lost", "lost"), ("Prospecting", "open"), ("Qualification", "open"), ("Unqualified", "disqualified"),
        ],
        []);

    /// <summary>HubSpot: contacts, companies, deals and engagements exports (property labels and internal names).</summary>
    public static CrmMapping HubSpot { get; } = Build(
        "hubspot",
        "HubSpot contacts, companies, deals and engagements exports (property labels or internal names); dates yyyy-MM-dd HH:mm in the portal's time zone.",
        [
            ("id", ["Record ID", "Contact ID", "Company ID", "Deal ID", "hs_object_id", "vid"]),
            ("company", ["Company Name", "Company name", "company", "name", "Associated Company"]),
            ("companyDomain", ["Company Domain Name", "domain", "Website URL", "website"]),
            ("industry", ["Industry", "industry"]),
            ("employeeCount", ["Number of Employees", "numberofemployees"]),
            ("annualRevenue", ["Annual Revenue", "annualrevenue"]),
            ("country", ["Country/Region", "Country", "country"]),
            ("region", ["State/Region", "state"]),
            ("jobTitle", ["Job Title", "jobtitle"]),
            ("email", ["Email", "email"]),
            ("source", ["Original Source", "Original source", "hs_analytics_source"]),
            ("campaign", ["Original Source Drill-Down 2", "hs_analytics_source_data_2"]),
            ("createdAt", ["Create Date", "createdate"]),
            ("outcome", ["Deal Stage", "dealstage", "Lifecycle Stage", "lifecyclestage"]),
            ("closedAt", ["Close Date", "closedate"]),
            ("leadId", ["Associated Contact ID", "Associated Contact IDs", "contactId"]),
            ("type", ["Activity type", "Activity Type", "Engagement Type", "hs_engagement_type", "type"]),
            ("timestamp", ["Activity date", "Activity Date", "hs_timestamp", "timestamp"]),
            ("", ["First Name", "firstname", "Last Name", "lastname", "Phone Number", "phone", "Contact owner", "hubspot_owner_id", "Lead Status", "hs_lead_status", "Deal Name", "dealname"]),
        ],
        [
            ("EMAIL", ActivityType.EmailSent), ("Email", ActivityType.EmailSent), ("INCOMING_EMAIL", ActivityType.EmailSent),
            ("CALL", ActivityType.SalesCall), ("Call", ActivityType.SalesCall), ("MEETING", ActivityType.SalesMeeting), ("Meeting", ActivityType.SalesMeeting),
            ("Marketing email open", ActivityType.EmailOpened), ("Marketing email click", ActivityType.EmailClicked),
            ("Form submission", ActivityType.FormSubmitted), ("Page view", ActivityType.PageView), ("Session", ActivityType.WebVisit),
            ("Marketing event registration", ActivityType.WebinarRegistered), ("Marketing event attendance", ActivityType.WebinarAttended),
            ("Unsubscribed", ActivityType.Unsubscribed), ("Bounced", ActivityType.Bounced),
        ],
        [
            ("closedwon", "won"), ("Closed Won", "won"), ("closedlost", "lost"), ("Closed Lost", "lost"),
            ("appointmentscheduled", "open"), ("Appointment Scheduled", "open"), ("qualifiedtobuy", "open"), ("Qualified To Buy", "open"),
            ("presentationscheduled", "open"), ("decisionmakerboughtin", "open"), ("contractsent", "open"),
            ("customer", "won"), ("Customer", "won"), ("lead", "open"), ("Lead", "open"), ("marketingqualifiedlead", "open"), ("Marketing Qualified Lead", "open"),
            ("salesqualifiedlead", "open"), ("Sales Qualified Lead", "open"), ("opportunity", "open"), ("Opportunity", "open"), ("other", "disqualified"), ("Other", "disqualified"),
        ],
        ["yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"]);

    /// <summary>Dynamics 365 Sales: leads and activities exports (column display names and logical names).</summary>
    public static CrmMapping Dynamics { get; } = Build(
        "dynamics",
        "Dynamics 365 Sales leads and activities exports (Export to Excel/CSV display names or Dataverse logical names); dates in the exporting user's format.",
        [
            ("id", ["(Do Not Modify) Lead", "Lead", "leadid", "Lead ID"]),
            ("company", ["Company Name", "companyname"]),
            ("companyDomain", ["Website", "websiteurl"]),
            ("industry", ["Industry", "industrycode"]),
            ("employeeCount", ["No. of Employees", "numberofemployees"]),
            ("annualRevenue", ["Annual Revenue", "revenue"]),
            ("country", ["Country/Region", "address1_country"]),
            ("region", ["State/Province", "address1_stateorprovince"]),
            ("jobTitle", ["Job Title", "jobtitle"]),
            ("email", ["Email", "emailaddress1"]),
            ("source", ["Lead Source", "leadsourcecode"]),
            ("campaign", ["Source Campaign", "campaignid"]),
            ("createdAt", ["Created On", "createdon"]),
            ("outcome", ["Status Reason", "statuscode"]),
            ("leadId", ["Regarding", "regardingobjectid", "(Do Not Modify) Regarding"]),
            ("type", ["Activity Type", "activitytypecode"]),
            ("timestamp", ["Actual End", "actualend", "Date Created", "Actual Start", "actualstart"]),
            ("", ["(Do Not Modify) Row Checksum", "(Do Not Modify) Modified On", "(Do Not Modify) Activity", "Name", "fullname", "Topic", "subject", "Subject", "Status", "statecode", "Owner", "ownerid", "Rating", "leadqualitycode", "Business Phone", "telephone1", "Priority"]),
        ],
        [
            ("Email", ActivityType.EmailSent), ("email", ActivityType.EmailSent), ("Phone Call", ActivityType.SalesCall), ("phonecall", ActivityType.SalesCall),
            ("Appointment", ActivityType.SalesMeeting), ("appointment", ActivityType.SalesMeeting), ("Campaign Response", ActivityType.FormSubmitted),
            ("campaignresponse", ActivityType.FormSubmitted), ("Campaign Activity", ActivityType.EmailSent), ("campaignactivity", ActivityType.EmailSent),
        ],
        [
            ("New", "open"), ("Contacted", "open"), ("Qualified", "won"), ("Lost", "lost"), ("Cannot Contact", "lost"), ("No Longer Interested", "lost"),
            ("Canceled", "disqualified"),
        ],
        []);

    /// <summary>Marketo Engage: lead (person) and activity exports (field names, bulk export columns and activity type names or ids).</summary>
    public static CrmMapping Marketo { get; } = Build(
        "marketo",
        "Marketo Engage person list exports and bulk lead/activity extracts (UI names or REST names); activityDate is ISO 8601 with an offset.",
        [
            ("id", ["Id", "Lead ID", "id"]),
            ("company", ["Company Name", "company"]),
            ("companyDomain", ["Website", "website"]),
            ("industry", ["Industry", "industry"]),
            ("employeeCount", ["Num Employees", "numberOfEmployees"]),
            ("annualRevenue", ["Annual Revenue", "annualRevenue"]),
            ("country", ["Country", "country"]),
            ("region", ["State", "state"]),
            ("jobTitle", ["Job Title", "title"]),
            ("department", ["Department", "department"]),
            ("email", ["Email Address", "email"]),
            ("source", ["Lead Source", "leadSource", "Person Source", "originalSourceType"]),
            ("campaign", ["Acquisition Program", "acquisitionProgramId", "Campaign ID", "campaignId"]),
            ("createdAt", ["Created At", "createdAt"]),
            ("outcome", ["Lead Status", "leadStatus"]),
            ("leadId", ["leadId", "Lead Id"]),
            ("type", ["Activity Type", "activityTypeId", "Activity Type ID"]),
            ("timestamp", ["Activity Date", "activityDate", "Date/Time"]),
            ("url", ["primaryAttributeValue", "Detail"]),
            ("", ["First Name", "firstName", "Last Name", "lastName", "marketoGUID", "primaryAttributeValueId", "attributes", "updatedAt", "Updated At", "Phone Number", "phone", "Lead Score", "leadScore"]),
        ],
        [
            ("Visit Webpage", ActivityType.PageView), ("1", ActivityType.PageView), ("Fill Out Form", ActivityType.FormSubmitted), ("2", ActivityType.FormSubmitted),
            ("Click Link", ActivityType.WebVisit), ("3", ActivityType.WebVisit), ("Send Email", ActivityType.EmailSent), ("6", ActivityType.EmailSent),
            ("Email Bounced", ActivityType.Bounced), ("8", ActivityType.Bounced), ("Unsubscribe Email", ActivityType.Unsubscribed), ("9", ActivityType.Unsubscribed),
            ("Open Email", ActivityType.EmailOpened), ("10", ActivityType.EmailOpened), ("Click Email", ActivityType.EmailClicked), ("11", ActivityType.EmailClicked),
        ],
        [("Converted", "won"), ("Disqualified", "disqualified"), ("Recycled", "lost"), ("Open", "open"), ("New", "open"), ("Contacted", "open"), ("Qualified", "open")],
        []);

    /// <summary>Account Engagement (Pardot): prospect and visitor activity exports (CSV labels and API field names, v3 to v5).</summary>
    public static CrmMapping Pardot { get; } = Build(
        "pardot",
        "Account Engagement (Pardot) prospect and visitor activity exports (CSV labels or API v3-v5 field names); dates yyyy-MM-dd HH:mm:ss in the account's time zone.",
        [
            ("id", ["Id", "Prospect Id", "Prospect ID", "id"]),
            ("company", ["Company", "company"]),
            ("companyDomain", ["Website", "website"]),
            ("industry", ["Industry", "industry"]),
            ("employeeCount", ["Employees", "employees"]),
            ("annualRevenue", ["Annual Revenue", "annual_revenue", "annualRevenue"]),
            ("country", ["Country", "country"]),
            ("region", ["State", "state"]),
            ("jobTitle", ["Job Title", "job_title", "jobTitle"]),
            ("department", ["Department", "department"]),
            ("email", ["Email", "email"]),
            ("source", ["Source", "source"]),
            ("campaign", ["Campaign", "campaign_id", "campaignId", "Campaign Id"]),
            ("createdAt", ["Created Date", "Created At", "created_at", "createdAt"]),
            ("leadId", ["prospect_id", "prospectId", "Prospect"]),
            ("type", ["Type", "type_name", "typeName", "type"]),
            ("timestamp", ["Date", "Activity Date"]),
            ("", ["First Name", "first_name", "firstName", "Last Name", "last_name", "lastName", "Score", "score", "Grade", "grade", "Details", "details", "visitor_id", "visitorId", "Updated At", "updated_at", "updatedAt"]),
        ],
        [
            ("Click", ActivityType.EmailClicked), ("1", ActivityType.EmailClicked), ("View", ActivityType.PageView), ("2", ActivityType.PageView),
            ("Success", ActivityType.FormSubmitted), ("4", ActivityType.FormSubmitted), ("Session", ActivityType.WebVisit), ("5", ActivityType.WebVisit),
            ("Sent", ActivityType.EmailSent), ("6", ActivityType.EmailSent), ("Open", ActivityType.EmailOpened), ("11", ActivityType.EmailOpened),
            ("Unsubscribe Page", ActivityType.Unsubscribed), ("12", ActivityType.Unsubscribed), ("Bounced", ActivityType.Bounced), ("13", ActivityType.Bounced),
            ("Visit", ActivityType.WebVisit), ("Invited to Webinar", ActivityType.WebinarInvited), ("Registered for Webinar", ActivityType.WebinarRegistered),
            ("Attended Webinar", ActivityType.WebinarAttended),
        ],
        [("Opportunity Won", "won"), ("Opportunity Lost", "lost"), ("Won", "won"), ("Lost", "lost"), ("Open", "open")],
        ["yyyy-MM-dd HH:mm:ss"]);

    /// <summary>Odoo CRM: <c>crm.lead</c> exports (field labels and technical names).</summary>
    public static CrmMapping Odoo { get; } = Build(
        "odoo",
        "Odoo CRM crm.lead exports (field labels or technical names); dates yyyy-MM-dd HH:mm:ss without an offset.",
        [
            ("id", ["ID", "External ID", "id"]),
            ("company", ["Company Name", "partner_name"]),
            ("companyDomain", ["Website", "website"]),
            ("industry", ["Industry", "industry_id"]),
            ("country", ["Country", "country_id", "Country/Country Code", "country_id/code"]),
            ("region", ["State", "state_id"]),
            ("jobTitle", ["Job Position", "function"]),
            ("email", ["Email", "email_from"]),
            ("source", ["Source", "source_id"]),
            ("campaign", ["Campaign", "campaign_id"]),
            ("createdAt", ["Created on", "Created On", "create_date"]),
            ("annualRevenue", ["Expected Revenue", "expected_revenue"]),
            ("outcome", ["Stage", "stage_id"]),
            ("closedAt", ["Closed Date", "date_closed"]),
            ("team", ["Sales Team", "team_id"]),
            ("lostReason", ["Lost Reason", "lost_reason_id"]),
            ("", ["Opportunity", "Name", "name", "Contact Name", "contact_name", "Salesperson", "user_id", "Type", "type", "Medium", "medium_id", "Probability", "probability", "Phone", "phone", "Priority", "priority", "Tags", "tag_ids"]),
        ],
        [],
        [("New", "open"), ("Qualified", "open"), ("Proposition", "open"), ("Won", "won"), ("Lost", "lost")],
        ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd"]);

    /// <summary>Every preset, in the order above.</summary>
    public static ImmutableArray<CrmMapping> All { get; } = [Salesforce, HubSpot, Dynamics, Marketo, Pardot, Odoo];

    /// <summary>The preset names: <c>salesforce</c>, <c>hubspot</c>, <c>dynamics</c>, <c>marketo</c>, <c>pardot</c>, <c>odoo</c>.</summary>
    public static ImmutableArray<string> Names { get; } = [.. All.Select(p => p.Name)];

    /// <summary>Finds a preset by name (case-insensitive; <c>account-engagement</c> is <c>pardot</c>, <c>dynamics365</c> is <c>dynamics</c>).</summary>
    /// <param name="name">The name.</param>
    /// <param name="preset">The preset.</param>
    /// <returns><see langword="true"/> when there is one.</returns>
    public static bool TryGet(string? name, [NotNullWhen(true)] out CrmMapping? preset)
    {
        string? key = name?.Trim().ToLowerInvariant() switch
        {
            "account-engagement" or "accountengagement" => "pardot",
            "dynamics365" or "dynamics-365" or "d365" => "dynamics",
            var other => other,
        };
        preset = All.FirstOrDefault(p => string.Equals(p.Name, key, StringComparison.Ordinal));
        return preset is not null;
    }

    private static CrmMapping Build(
        string name,
        string description,
        (string Column, string[] Headers)[] columns,
        (string Name, ActivityType Type)[] activities,
        (string Name, string Outcome)[] outcomes,
        string[] dateFormats)
    {
        var map = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (column, headers) in columns)
        {
            foreach (var header in headers)
            {
                map.TryAdd(header, column);
            }
        }

        var types = ImmutableDictionary.CreateBuilder<string, ActivityType>(StringComparer.OrdinalIgnoreCase);
        foreach (var (n, t) in activities)
        {
            types.TryAdd(n, t);
        }

        var stages = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (n, o) in outcomes)
        {
            stages.TryAdd(n, o);
        }

        return new CrmMapping
        {
            Name = name,
            Description = description,
            Columns = map.ToImmutable(),
            ActivityTypes = types.ToImmutable(),
            Outcomes = stages.ToImmutable(),
            DateFormats = [.. dateFormats],
        };
    }
}
