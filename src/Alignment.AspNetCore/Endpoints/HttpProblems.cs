using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Alignment.AspNetCore.Endpoints;

/// <summary>The <c>application/problem+json</c> answers of the endpoints.</summary>
internal static class HttpProblems
{
    public static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    public static ValidationProblem Invalid(RequestErrors errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(), detail: "The request has invalid fields; each is named by its JSON path.", title: "Invalid request");

    public static ValidationProblem Invalid(string path, string message)
    {
        var errors = new RequestErrors();
        errors.Add(path, message);
        return Invalid(errors);
    }

    public static ProblemHttpResult NotFound(string what) => Problem(StatusCodes.Status404NotFound, "Not found", what);

    public static ProblemHttpResult Conflict(string detail) => Problem(StatusCodes.Status409Conflict, "Conflict", detail);

    public static ProblemHttpResult TooLarge(string detail) => Problem(StatusCodes.Status413PayloadTooLarge, "Request too large", detail);
}
