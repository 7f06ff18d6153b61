using Microsoft.AspNetCore.Http;

namespace Alignment.AspNetCore.Endpoints;

/// <summary>
/// A 200 answer whose body is JSON already written as UTF-8: the same status, <c>Content-Type: application/json</c>,
/// <c>Content-Length</c> and bytes as <c>Results.Content(json, "application/json")</c> with the text, without turning the
/// bytes into text and back.
/// </summary>
internal sealed class JsonUtf8Result(byte[] utf8) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = utf8.Length;
        // As HttpResponseWritingExtensions.WriteAsync (what Results.Content uses) writes: to the body writer, not cancelled.
        var write = response.BodyWriter.WriteAsync(utf8);
        return write.IsCompletedSuccessfully ? Task.CompletedTask : write.AsTask();
    }
}
