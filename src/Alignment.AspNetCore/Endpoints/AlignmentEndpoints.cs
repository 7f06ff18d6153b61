using System.Text.Json;
using Alignment.AspNetCore.Tenancy;
using Alignment.AspNetCore.Wire;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Policies.Handoff;
using Alignment.Policies.Metrics;
using Alignment.Policies.Nurture;
using Alignment.Policies.Nurture.Campaigns;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alignment.AspNetCore.Endpoints;

/// <summary>The handlers behind <c>MapAlignment</c>.</summary>
internal static class AlignmentEndpoints
{
    public static async Task<IResult> IngestAsync(HttpContext context, AlignmentTenants tenants, IOptions<AlignmentHttpOptions> options, CancellationToken cancellationToken)
    {
        var (tenant, error) = await TenantAsync(context, tenants, cancellationToken).ConfigureAwait(false);
        if (tenant is null)
        {
            return error!;
        }

        string? key = context.Request.Headers[AlignmentHttpDefaults.IdempotencyKeyHeader].ToString();
        if (key.Length == 0)
        {
            key = null;
        }
        else if (key.Length > 200 || key.Any(char.IsControl))
        {
            return HttpProblems.Problem(StatusCodes.Status400BadRequest, "Invalid idempotency key", $"The {AlignmentHttpDefaults.IdempotencyKeyHeader} header must be 1 to 200 characters without control characters.");
        }

        var body = await RequestBody.ReadAsync(context.Request, options.Value.MaxRequestBodyBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return HttpProblems.TooLarge($"The body is larger than {options.Value.MaxRequestBodyBytes} bytes (AlignmentHttpOptions.MaxRequestBodyBytes).");
        }

        var errors = new RequestErrors();
        var request = RequestBody.Parse(body, AlignmentHttpJsonContext.Default.LeadRequest, errors);
        if (request is not null)
        {
            LeadMapping.Check(request, tenant.Ingestion.Schema, errors);
        }

        if (errors.Any)
        {
            return HttpProblems.Invalid(errors);
        }

        IngestOutcome outcome;
        try
        {
            outcome = await tenant.Ingestion.IngestAsync(request!, body, key, options.Value.IdempotencyKeyHold, options.Value.IdempotencyWait, cancellationToken).ConfigureAwait(false);
        }
        catch (LeadTooLargeException ex)
        {
            return HttpProblems.TooLarge(ex.Message);
        }
        catch (InvalidLifecycleTransitionException ex)
        {
            return HttpProblems.Conflict(ex.Message);
        }
        catch (LeadChangingException ex)
        {
            return HttpProblems.Conflict(ex.Message);
        }
        catch (System.Data.Common.DbException)
        {
            return HttpProblems.Problem(StatusCodes.Status503ServiceUnavailable, "Store unavailable",
                "The tenant's database did not answer; nothing may have been decided, or the decision was not saved. Retry with the same Idempotency-Key.");
        }

        if (outcome.PendingUntil is { } until)
        {
            var now = tenant.Ingestion.Time.GetUtcNow();
            long seconds = Math.Clamp((long)Math.Ceiling((until - now).TotalSeconds), 1, 60);
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return HttpProblems.Conflict(
                $"A request with the {AlignmentHttpDefaults.IdempotencyKeyHeader} '{key}' is still being decided (by this or another instance); nothing was done. Retry with the same key after {seconds} s to get its answer.");
        }

        if (outcome.KeyReused)
        {
            return HttpProblems.Problem(StatusCodes.Status422UnprocessableEntity, "Idempotency key reused",
                $"The {AlignmentHttpDefaults.IdempotencyKeyHeader} '{key}' was used before for a different request; nothing was done. Use a new key for a new request.");
        }

        if (outcome.Replayed)
        {
            context.Response.Headers["Idempotent-Replayed"] = "true";
        }

        return outcome.ResponseUtf8 is { } utf8
            ? new JsonUtf8Result(utf8)
            : Results.Content(outcome.ResponseJson, "application/json", statusCode: StatusCodes.Status200OK);
    }

    public static async Task<IResult> GetLeadAsync(string leadId, HttpContext context, AlignmentTenants tenants, CancellationToken cancellationToken)
    {
        var (tenant, error) = await TenantAsync(context, tenants, cancellationToken).ConfigureAwait(false);
        if (tenant is null)
        {
            return error!;
        }

        if (CheckLeadId(leadId) is { } invalid)
        {
            return invalid;
        }

        return await tenant.Ingestion.ReadAsync(new LeadId(leadId), cancellationToken).ConfigureAwait(false) is { } lead
            ? TypedResults.Ok(lead)
            : LeadNotFound(leadId);
    }

    public static Task<IResult> FirstTouchAsync(string leadId, HttpContext context, AlignmentTenants tenants, IOptions<AlignmentHttpOptions> options, CancellationToken cancellationToken) =>
        RepActionAsync(leadId, context, tenants, options, static (router, id, rep, _, ct) => router.RecordFirstTouchAsync(id, rep, ct), needsReason: false, cancellationToken);

    public static Task<IResult> AcceptAsync(string leadId, HttpContext context, AlignmentTenants tenants, IOptions<AlignmentHttpOptions> options, CancellationToken cancellationToken) =>
        RepActionAsync(leadId, context, tenants, options, static (router, id, rep, _, ct) => router.AcceptAsync(id, rep, ct), needsReason: false, cancellationToken);

    public static Task<IResult> RejectAsync(string leadId, HttpContext context, AlignmentTenants tenants, IOptions<AlignmentHttpOptions> options, CancellationToken cancellationToken) =>
        RepActionAsync(leadId, context, tenants, options, static (router, id, rep, request, ct) => router.RejectAsync(id, ParseReason(request.Reason!), request.Note, rep, ct), needsReason: true, cancellationToken);

    public static async Task<IResult> RepHandoffsAsync(string rep, HttpContext context, AlignmentTenants tenants, CancellationToken cancellationToken)
    {
        var (tenant, error) = await TenantAsync(context, tenants, cancellationToken).ConfigureAwait(false);
        if (tenant is null)
        {
            return error!;
        }

        if (string.IsNullOrWhiteSpace(rep) || rep.Length > LeadMapping.MaxIdLength)
        {
            return HttpProblems.Invalid("$.rep", $"must be 1 to {LeadMapping.MaxIdLength} characters.");
        }

        if (tenant.Ingestion.Routing is not { } routing)
        {
            return NoRouting(tenant.Id);
        }

        var repId = new RepId(rep);
        var open = await routing.ListOpenAsync(repId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(open.Select(Responses.Handoff).ToList());
    }

    public static Task<IResult> InviteAsync(string campaign, HttpContext context, AlignmentTenants tenants, IOptions<AlignmentHttpOptions> options, CancellationToken cancellationToken) =>
        CampaignStepAsync(campaign, "invited", context, tenants, options, static async (tracker, tenant, id, ct) =>
        {
            var lead = await tenant.Ingestion.FindLeadAsync(id, ct).ConfigureAwait(false);
            return await tracker.InviteAsync(lead!, null, ct).ConfigureAwait(false);
        }, cancellationToken);

    public static Task<IResult> RegisterAsync(string campaign, HttpContext context, AlignmentTenants tenants, IOptions<AlignmentHttpOptions> options, CancellationToken cancellationToken) =>
        CampaignStepAsync(campaign, "registered", context, tenants, options, static async (tracker, _, id, ct) =>
        {
            await tracker.RegisterAsync(id, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public static Task<IResult> AttendAsync(string campaign, HttpContext context, AlignmentTenants tenants, IOptions<AlignmentHttpOptions> options, CancellationToken cancellationToken) =>
        CampaignStepAsync(campaign, "attended", context, tenants, options, static async (tracker, _, id, ct) =>
        {
            await tracker.AttendAsync(id, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public static async Task<IResult> CloseCampaignAsync(string campaign, HttpContext context, AlignmentTenants tenants, IOptions<AlignmentHttpOptions> options, CancellationToken cancellationToken)
    {
        var (tenant, error) = await TenantAsync(context, tenants, cancellationToken).ConfigureAwait(false);
        if (tenant is null)
        {
            return error!;
        }

        if (CheckCampaign(campaign) is { } invalid)
        {
            return invalid;
        }

        if (Tracker(tenant, campaign, options.Value) is not { } tracker)
        {
            return NoNurture(tenant.Id);
        }

        var (noShows, tasks) = await tracker.CloseAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new CampaignResponse(campaign, null, "closed", true, noShows, tasks));
    }

    public static async Task<IResult> MetricsAsync(HttpContext context, AlignmentTenants tenants, string? period, DateTimeOffset? asOf, CancellationToken cancellationToken)
    {
        var (tenant, error) = await TenantAsync(context, tenants, cancellationToken).ConfigureAwait(false);
        if (tenant is null)
        {
            return error!;
        }

        MetricsPeriod cut = MetricsPeriod.Month;
        if (period is not null && !(Enum.TryParse(period, ignoreCase: true, out cut) && Enum.IsDefined(cut) && !char.IsAsciiDigit(period[0])))
        {
            return HttpProblems.Invalid("$.period", $"'{period}' is not a period (month or quarter).");
        }

        var ingestion = tenant.Ingestion;
        var at = asOf ?? ingestion.Time.GetUtcNow();
        // Every document is read (what the metrics need of it) before any lifecycle or handoff is looked up: a PostgreSQL store's list
        // holds its connection until it ends, and lookups inside it would take a second one from the same pool, so a few requests
        // at once (as many as the pool has connections) could each hold one and wait for another.
        var listed = new List<ListedLead>();
        await foreach (var document in ingestion.Documents.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var stored = LeadDocumentJson.Read(document, AlignmentHttpJsonContext.Default.StoredLead);
            listed.Add(new ListedLead(document.LeadId, document.UpdatedAt, stored.Lead.CreatedAt, stored.Lead.Source, stored.Lead.Campaign, stored.LastDecision?.Segment?.Id));
        }

        var leads = new List<FunnelLead>(listed.Count);
        foreach (var lead in listed)
        {
            var lifecycle = await ingestion.Lifecycles.FindAsync(lead.LeadId, cancellationToken).ConfigureAwait(false) ?? LeadLifecycle.Start(lead.LeadId);
            var handoff = ingestion.Routing is null ? null : await ingestion.Routing.FindAsync(lead.LeadId, cancellationToken).ConfigureAwait(false);
            leads.Add(new FunnelLead(lifecycle, lead.CreatedAt ?? (lifecycle.History.IsEmpty ? lead.UpdatedAt : lifecycle.History[0].At))
            {
                Source = lead.Source,
                Campaign = lead.Campaign,
                Segment = lead.SegmentId is { } s ? new Alignment.Segmentation.SegmentId(s) : null,
                FirstSalesTouchAt = handoff?.FirstTouchAt,
                SlaDueAt = handoff?.SlaDueAt,
                Escalated = handoff?.Escalated ?? false,
            });
        }

        var report = AlignmentMetrics.Compute(leads, new AlignmentMetricsOptions { AsOf = at, Period = cut });
        var speed = report.SpeedToLead;
        return TypedResults.Ok(new MetricsResponse(report.AsOf, cut.ToString(), report.Leads,
            [.. report.Overall.Stages.Select(s => new StageCountResponse(s.Stage.ToString(), s.Leads))],
            [.. report.Overall.Conversions.Select(c => new ConversionResponse(c.From.ToString(), c.To.ToString(), c.FromLeads, c.ToLeads, c.Rate))],
            new SpeedToLeadResponse(speed.MqlLeads, speed.Touched, speed.MedianHours, speed.P95Hours, speed.SlaMeasured, speed.SlaMet, speed.SlaComplianceRate, speed.Escalations)));
    }

    internal static async ValueTask<(AlignmentTenant? Tenant, IResult? Error)> TenantAsync(HttpContext context, AlignmentTenants tenants, CancellationToken cancellationToken)
    {
        string? id = context.User.FindFirst(AlignmentClaims.Tenant)?.Value;
        if (!TenantIds.IsValid(id))
        {
            return (null, HttpProblems.Problem(StatusCodes.Status403Forbidden, "No tenant", $"The caller is not bound to a tenant: its '{AlignmentClaims.Tenant}' claim is missing or not a valid tenant id."));
        }

        try
        {
            return (await tenants.GetAsync(id!, cancellationToken).ConfigureAwait(false), null);
        }
        catch (InvalidOperationException ex)
        {
            // The reason (a model file, a database address) is for the operator's log, not for the caller.
            if (context.RequestServices.GetService<ILoggerFactory>() is { } loggers)
            {
                TenancyLog.StartFailed(loggers.CreateLogger("Alignment.AspNetCore.Tenancy"), ex, id!);
            }

            return (null, HttpProblems.Problem(StatusCodes.Status503ServiceUnavailable, "Tenant not available",
                $"Tenant '{id}' could not start; the service's log says why. The next request tries again."));
        }
    }

    private static async Task<IResult> RepActionAsync(string leadId, HttpContext context, AlignmentTenants tenants, IOptions<AlignmentHttpOptions> options,
        Func<HandoffRouter, LeadId, RepId, RepActionRequest, CancellationToken, ValueTask<HandoffAssignment>> act, bool needsReason, CancellationToken cancellationToken)
    {
        var (tenant, error) = await TenantAsync(context, tenants, cancellationToken).ConfigureAwait(false);
        if (tenant is null)
        {
            return error!;
        }

        if (CheckLeadId(leadId) is { } invalid)
        {
            return invalid;
        }

        var body = await RequestBody.ReadAsync(context.Request, options.Value.MaxRequestBodyBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return HttpProblems.TooLarge($"The body is larger than {options.Value.MaxRequestBodyBytes} bytes (AlignmentHttpOptions.MaxRequestBodyBytes).");
        }

        var errors = new RequestErrors();
        var request = RequestBody.Parse(body, AlignmentHttpJsonContext.Default.RepActionRequest, errors);
        if (request is not null)
        {
            if (string.IsNullOrWhiteSpace(request.Rep) || request.Rep.Length > LeadMapping.MaxIdLength)
            {
                errors.Add("$.rep", "is required: the acting rep (1 to 200 characters).");
            }

            if (needsReason)
            {
                if (string.IsNullOrWhiteSpace(request.Reason))
                {
                    errors.Add("$.reason", $"is required: one of {ReasonNames}.");
                }
                else if (!TryParseReason(request.Reason, out _))
                {
                    errors.Add("$.reason", $"'{request.Reason}' is not a rejection reason (one of {ReasonNames}).");
                }

                if (request.Note is { Length: > 2000 })
                {
                    errors.Add("$.note", "is longer than 2,000 characters.");
                }
            }
        }

        if (errors.Any)
        {
            return HttpProblems.Invalid(errors);
        }

        var id = new LeadId(leadId);
        if (!await tenant.Ingestion.ExistsAsync(id, cancellationToken).ConfigureAwait(false))
        {
            return LeadNotFound(leadId);
        }

        if (tenant.Ingestion.Router is not { } router)
        {
            return NoRouting(tenant.Id);
        }

        if (await tenant.Ingestion.Routing!.FindAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            return HttpProblems.NotFound($"Lead '{leadId}' was never handed to sales.");
        }

        try
        {
            return TypedResults.Ok(Responses.Handoff(await act(router, id, new RepId(request!.Rep!), request, cancellationToken).ConfigureAwait(false)));
        }
        catch (InvalidLifecycleTransitionException ex)
        {
            return HttpProblems.Conflict(ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            return HttpProblems.Conflict(ex.Message);
        }
    }

    private static async Task<IResult> CampaignStepAsync(string campaign, string step, HttpContext context, AlignmentTenants tenants, IOptions<AlignmentHttpOptions> options,
        Func<CampaignTracker, AlignmentTenant, LeadId, CancellationToken, ValueTask<bool>> act, CancellationToken cancellationToken)
    {
        var (tenant, error) = await TenantAsync(context, tenants, cancellationToken).ConfigureAwait(false);
        if (tenant is null)
        {
            return error!;
        }

        if (CheckCampaign(campaign) is { } invalid)
        {
            return invalid;
        }

        var body = await RequestBody.ReadAsync(context.Request, options.Value.MaxRequestBodyBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return HttpProblems.TooLarge($"The body is larger than {options.Value.MaxRequestBodyBytes} bytes (AlignmentHttpOptions.MaxRequestBodyBytes).");
        }

        var errors = new RequestErrors();
        var request = RequestBody.Parse(body, AlignmentHttpJsonContext.Default.CampaignMemberRequest, errors);
        if (request is not null)
        {
            LeadMapping.CheckId(request.LeadId, "$.leadId", errors);
        }

        if (errors.Any)
        {
            return HttpProblems.Invalid(errors);
        }

        var id = new LeadId(request!.LeadId!);
        if (!await tenant.Ingestion.ExistsAsync(id, cancellationToken).ConfigureAwait(false))
        {
            return LeadNotFound(request.LeadId!);
        }

        if (Tracker(tenant, campaign, options.Value) is not { } tracker)
        {
            return NoNurture(tenant.Id);
        }

        try
        {
            bool changed = await act(tracker, tenant, id, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new CampaignResponse(campaign, request.LeadId, step, changed, null, null));
        }
        catch (InvalidOperationException ex)
        {
            return HttpProblems.Conflict(ex.Message);
        }
    }

    private static CampaignTracker? Tracker(AlignmentTenant tenant, string campaign, AlignmentHttpOptions options)
    {
        var s = tenant.Services;
        if (tenant.Ingestion.Nurture is not { } nurture)
        {
            return null;
        }

        return new CampaignTracker(campaign, options.AttendeeFollowUpSla, nurture, s.GetRequiredService<INurtureStepHandler>(), s.GetRequiredService<INurtureStore>(),
            s.GetRequiredService<ILifecycleStore>(), tenant.Ingestion.Time, s.GetService<ICampaignStore>());
    }

    private static ValidationProblem? CheckLeadId(string leadId)
    {
        var errors = new RequestErrors();
        LeadMapping.CheckId(leadId, "$.leadId", errors);
        return errors.Any ? HttpProblems.Invalid(errors) : null;
    }

    private static ValidationProblem? CheckCampaign(string campaign)
    {
        var errors = new RequestErrors();
        LeadMapping.CheckId(campaign, "$.campaign", errors);
        return errors.Any ? HttpProblems.Invalid(errors) : null;
    }

    private static ProblemHttpResult LeadNotFound(string leadId) => HttpProblems.NotFound($"No lead '{leadId}' in this tenant.");

    private static ProblemHttpResult NoRouting(string tenant) =>
        HttpProblems.Problem(StatusCodes.Status501NotImplemented, "No routing", $"Tenant '{tenant}' has no handoff policy (AddHandoff in ConfigureTenants).");

    private static ProblemHttpResult NoNurture(string tenant) =>
        HttpProblems.Problem(StatusCodes.Status501NotImplemented, "No nurture", $"Tenant '{tenant}' has no nurture policy (AddNurture in ConfigureTenants).");

    private static readonly string ReasonNames = string.Join(", ", Enum.GetNames<RejectionReason>().Select(LeadMapping.Camel));

    private static bool TryParseReason(string text, out RejectionReason reason) =>
        Enum.TryParse(text, ignoreCase: true, out reason) && Enum.IsDefined(reason) && !char.IsAsciiDigit(text[0]) && text[0] != '-';

    private static RejectionReason ParseReason(string text) => TryParseReason(text, out var r) ? r : throw new FormatException(text);

    /// <summary>What the metrics need of a stored lead, read before its lifecycle and handoff are looked up.</summary>
    private readonly record struct ListedLead(LeadId LeadId, DateTimeOffset UpdatedAt, DateTimeOffset? CreatedAt, string? Source, string? Campaign, string? SegmentId);
}
