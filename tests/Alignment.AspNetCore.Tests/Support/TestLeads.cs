using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Alignment.AspNetCore.Tests.Support;

/// <summary>Lead bodies for the tests.</summary>
public static class TestLeads
{
    /// <summary>A VP of a US software enterprise who asked for a demo and read the pricing page: hot.</summary>
    public static string Hot(string id, DateTimeOffset at) => $$"""
        {
          "id": "{{id}}",
          "person": { "email": "{{id}}@globex.example", "jobTitle": "VP Sales", "seniority": "VP", "department": "Sales" },
          "company": { "name": "Globex", "industry": "Software", "employeeCount": 2400, "country": "US" },
          "source": "Web",
          "createdAt": "{{at.AddDays(-3):O}}",
          "activities": [
            { "type": "pageView", "at": "{{at.AddDays(-2):O}}", "url": "https://brightwave.example/pricing" },
            { "type": "demoRequested", "at": "{{at.AddHours(-1):O}}" }
          ]
        }
        """;

    /// <summary>A student at a tiny company with one web visit: far below MQL.</summary>
    public static string Cold(string id, DateTimeOffset at) => $$"""
        {
          "id": "{{id}}",
          "person": { "jobTitle": "Student" },
          "company": { "name": "Tiny", "employeeCount": 3, "country": "US" },
          "source": "Web",
          "createdAt": "{{at.AddDays(-1):O}}",
          "activities": [ { "type": "webVisit", "at": "{{at.AddHours(-2):O}}" } ]
        }
        """;

    public static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string body) => client.PostAsync(path, Json(body));

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body) =>
        client.PostAsync(path, JsonContent.Create(body, options: new JsonSerializerOptions(JsonSerializerDefaults.Web)));
}
