using Alignment.Leads;
using Alignment.Models;
using Alignment.Scoring;
using Alignment.Segmentation.Rules;

namespace Alignment.Segmentation.Tests.Rules;

/// <summary>Segment conditions name fields by the one lead-field catalogue (issue 15): every field but segment.id, and a suggestion for a near miss.</summary>
public sealed class LeadFieldVocabularyTests
{
    [Fact]
    public void Every_field_of_the_catalogue_but_segment_id_can_be_named()
    {
        foreach (var field in LeadFields.All.Where(f => f != LeadFields.SegmentId))
        {
            string condition = field.Kind switch
            {
                LeadFieldKind.Number => "\"atLeast\": 0",
                LeadFieldKind.Grade => "\"atLeast\": \"B\"",
                LeadFieldKind.State => "\"in\": [\"mql\"]",
                _ => "\"in\": [\"x\"]",
            };
            string json = $$"""{ "id": "m", "version": "1", "segments": [ { "id": "s", "when": [ { "field": "{{field.Name}}", {{condition}} } ] } ], "default": { "id": "rest" } }""";
            Assert.True(SegmentationModel.TryLoad(json, null, out _, out var errors), $"{field.Name}: {string.Join("; ", errors)}");
        }
    }

    [Fact]
    public void New_catalogue_fields_read_the_lead_and_the_score_card()
    {
        var model = SegmentationModel.Load("""
            { "id": "m", "version": "1", "segments": [
                { "id": "titled", "when": [ { "field": "person.jobTitle", "in": ["CFO"] }, { "field": "lead.domain", "in": ["acme.com"] } ] },
                { "id": "mql", "when": [ { "field": "score.state", "in": ["mql"] } ] } ],
              "default": { "id": "rest" } }
            """);
        var lead = new Lead(new LeadId("L1")) { Person = new PersonProfile { JobTitle = "cfo", Email = "ann@acme.com" } };
        var mql = TestData.Score("L2", Grade.B, 10) with { State = QualificationState.MarketingQualified };

        Assert.Equal("titled", model.Assign(lead, null).Segment.Value);
        Assert.Equal("mql", model.Assign(new Lead(new LeadId("L2")), mql).Segment.Value);
        Assert.Equal("rest", model.Assign(new Lead(new LeadId("L3")), TestData.Score("L3", Grade.B, 10)).Segment.Value);
    }

    [Fact]
    public void A_state_outside_the_one_vocabulary_is_refused_instead_of_never_matching()
    {
        const string Json = """{ "id": "m", "version": "1", "segments": [ { "id": "s", "when": [ { "field": "score.state", "in": ["mql", "warm"] } ] } ], "default": { "id": "rest" } }""";

        Assert.False(SegmentationModel.TryLoad(Json, null, out _, out var errors));

        Assert.Equal("$.segments[0].when[0].in[1]", Assert.Single(errors).Path);
    }

    [Fact]
    public void An_old_name_is_refused_with_the_catalogue_name_suggested()
    {
        const string Json = """{ "id": "m", "version": "1", "segments": [ { "id": "s", "when": [ { "field": "company.employees", "atLeast": 5 } ] } ], "default": { "id": "rest" } }""";

        Assert.False(SegmentationModel.TryLoad(Json, null, out _, out var errors));

        var error = Assert.Single(errors);
        Assert.Equal("$.segments[0].when[0].field", error.Path);
        Assert.Equal("did you mean 'company.employeeCount'?", error.Suggestion);
    }
}
