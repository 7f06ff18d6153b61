using System.Net;
using Microsoft.AspNetCore.Builder;
using Alignment.Leads;
using Alignment.AspNetCore.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Alignment.AspNetCore.Tests.Endpoints;

/// <summary>
/// An idempotent ingest that fails: before anything was decided its key is released at once (a retry decides); once deciding began
/// (decisions may have been published) the key stays claimed, so a retry within the hold is a 409 instead of a second decision.
/// </summary>
public sealed class IngestFailureTests
{
    [Fact]
    public async Task A_failure_after_deciding_keeps_the_key_claimed_so_a_retry_does_not_decide_twice()
    {
        var store = new FailingDocumentStore { FailReceiptSaves = 1 };
        await using var app = new AlignmentTestApp
        {
            Options = o => o.IdempotencyWait = TimeSpan.FromMilliseconds(200),
            TenantServices = (_, a) => a.Services.AddSingleton<ILeadDocumentStore>(store),
            Pipeline = AnswerFailuresWith500,
        };
        using var client = app.ClientFor(AlignmentTestApp.KeyA);
        string body = TestLeads.Hot("L-F", app.Time.GetUtcNow());

        using (var failed = await Send(client, body))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        }

        Assert.Equal(1, store.ReceiptSaves);
        using (var retry = await Send(client, body))
        {
            Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode); // not decided a second time
        }

        Assert.Equal(1, store.ReceiptSaves);

        // The claim lapses after the hold; then the key is decided once.
        app.Time.Advance(TimeSpan.FromMinutes(3));
        using (var decided = await Send(client, body))
        {
            Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        }

        Assert.Equal(2, store.ReceiptSaves);
    }

    [Fact]
    public async Task A_failure_before_deciding_releases_the_key_so_a_retry_decides_at_once()
    {
        var store = new FailingDocumentStore { FailLeadSaves = 1 };
        await using var app = new AlignmentTestApp
        {
            Options = o => o.IdempotencyWait = TimeSpan.FromMilliseconds(200),
            TenantServices = (_, a) => a.Services.AddSingleton<ILeadDocumentStore>(store),
            Pipeline = AnswerFailuresWith500,
        };
        using var client = app.ClientFor(AlignmentTestApp.KeyA);
        string body = TestLeads.Hot("L-G", app.Time.GetUtcNow());

        using (var failed = await Send(client, body))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        }

        Assert.Equal(0, store.ReceiptSaves);
        using var retry = await Send(client, body);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(1, store.ReceiptSaves);
    }

    // The test server rethrows an endpoint's exception to the client; a host answers 500 (its exception handler).
    private static void AnswerFailuresWith500(IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (TimeoutException)
            {
                context.Response.StatusCode = 500;
            }
        });

    private static Task<HttpResponseMessage> Send(HttpClient client, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/leads") { Content = TestLeads.Json(body) };
        request.Headers.Add("Idempotency-Key", "failing-key");
        return client.SendAsync(request);
    }

    /// <summary>An in-memory store whose first saves fail as a database that went away would.</summary>
    private sealed class FailingDocumentStore : ILeadDocumentStore
    {
        private readonly InMemoryLeadDocumentStore _inner = new();

        public int FailLeadSaves { get; set; }

        public int FailReceiptSaves { get; set; }

        public int ReceiptSaves { get; private set; }

        public ValueTask<LeadDocument?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default) => _inner.FindAsync(leadId, cancellationToken);

        public ValueTask<IngestReceipt?> FindReceiptAsync(string idempotencyKey, CancellationToken cancellationToken = default) => _inner.FindReceiptAsync(idempotencyKey, cancellationToken);

        public async ValueTask<LeadDocumentSave> SaveAsync(LeadDocument document, long expectedVersion, IngestReceipt? receipt, CancellationToken cancellationToken = default)
        {
            if (receipt is null && FailLeadSaves > 0)
            {
                FailLeadSaves--;
                throw new TimeoutException("the database did not answer");
            }

            if (receipt is not null)
            {
                ReceiptSaves++;
                if (FailReceiptSaves > 0)
                {
                    FailReceiptSaves--;
                    throw new TimeoutException("the database did not answer");
                }
            }

            return await _inner.SaveAsync(document, expectedVersion, receipt, cancellationToken);
        }

        public ValueTask<IngestKeyClaim> ClaimKeyAsync(string idempotencyKey, DateTimeOffset now, TimeSpan hold, CancellationToken cancellationToken = default) =>
            _inner.ClaimKeyAsync(idempotencyKey, now, hold, cancellationToken);

        public ValueTask<bool> ReleaseKeyAsync(string idempotencyKey, DateTimeOffset claimedUntil, CancellationToken cancellationToken = default) =>
            _inner.ReleaseKeyAsync(idempotencyKey, claimedUntil, cancellationToken);

        public ValueTask<int> PurgeReceiptsAsync(DateTimeOffset answeredBefore, int max, CancellationToken cancellationToken = default) => _inner.PurgeReceiptsAsync(answeredBefore, max, cancellationToken);

        public IAsyncEnumerable<LeadDocument> ListAsync(CancellationToken cancellationToken = default) => _inner.ListAsync(cancellationToken);
    }
}
