using System.Text.Json.Nodes;
using Alignment.AspNetCore.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Alignment.AspNetCore.Tests.Endpoints;

public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task The_document_lists_every_mapped_endpoint_with_its_request_and_response_schemas()
    {
        await using var app = new AlignmentTestApp();
        using var client = app.CreateClient();
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject();
        var schemas = document["components"]!["schemas"]!.AsObject();

        var mapped = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/v1/", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods.Select(m => (Path: e.RoutePattern.RawText!, Method: m.ToLowerInvariant())))
            .ToList();
        Assert.Equal(11, mapped.Count);
        foreach (var (path, method) in mapped)
        {
            var operation = paths[path]?[method];
            Assert.True(operation is not null, $"{method} {path} is not in the OpenAPI document");
            var ok = operation!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!;
            Assert.True(Resolves(ok, schemas), $"{method} {path}: the 200 response has no schema");
            Assert.NotNull(operation["responses"]!["401"]);
            Assert.NotNull(operation["responses"]!["429"]);
            if (method == "post" && !path.EndsWith("/close", StringComparison.Ordinal))
            {
                var body = operation["requestBody"]!["content"]!["application/json"]!["schema"]!;
                Assert.True(Resolves(body, schemas), $"{method} {path}: the request body has no schema");
                Assert.NotNull(operation["responses"]!["400"]);
            }
        }

        var lead = schemas["LeadRequest"]!["properties"]!.AsObject();
        Assert.True(lead.ContainsKey("activities") && lead.ContainsKey("attributes") && lead.ContainsKey("company"));
        var decision = schemas["LeadDecisionResponse"]!["properties"]!.AsObject();
        Assert.True(decision.ContainsKey("score") && decision.ContainsKey("handoff") && decision.ContainsKey("nurture") && decision.ContainsKey("segment"));
    }

    private static bool Resolves(JsonNode schema, JsonObject schemas)
    {
        if (schema["$ref"] is { } reference)
        {
            return schemas.ContainsKey(((string)reference!)["#/components/schemas/".Length..]);
        }

        return schema["items"] is { } items ? Resolves(items, schemas) : schema["type"] is not null || schema["properties"] is not null;
    }
}
