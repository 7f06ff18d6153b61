using System.ComponentModel.DataAnnotations;
using Alignment.Models;

namespace Alignment.Policies.Nurture;

/// <summary>Settings of the nurture engine and its scheduler. Validated at start-up (see <c>AddNurture</c>).</summary>
public sealed class NurtureOptions
{
    /// <summary>The nurture policy as JSON, loaded and validated at start-up; ignored when <see cref="Policy"/> is set.</summary>
    public string? PolicyJson { get; set; }

    /// <summary>
    /// The bounds on the nurture policy JSON (size, nesting, objects, array and string lengths), enforced while it is read: a document over one
    /// stops the host with the JSON path and the limit. Set them for policies your users upload; the defaults suit any policy written by people.
    /// </summary>
    /// <value>Defaults to <see langword="null"/>: the defaults of <see cref="ModelReadLimits"/>.</value>
    public ModelReadLimits? Limits { get; set; }

    /// <summary>A policy compiled by the host with <see cref="NurturePolicyLoader"/>; takes precedence over <see cref="PolicyJson"/>.</summary>
    public NurturePolicy? Policy { get; set; }

    /// <summary>The id of this scheduler instance, written on the leases it takes (and shown when a lease is inspected).</summary>
    /// <value>
    /// Defaults to <c>machine/pid/random</c>, such as <c>crm-web-3/4711/5f2c9a1b</c> (the same for every options object in one
    /// process), so that two instances never share an id by accident. Set a stable, readable id per instance (such as a pod name) if you prefer.
    /// </value>
    [Required]
    public string InstanceId { get; set; } = DefaultInstanceId;

    /// <summary>The id this process's instances default to: <c>machine/pid/random</c>.</summary>
    internal static string DefaultInstanceId { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>How long a claimed step is reserved for this instance; after it, an unfinished step is due again (crash resume).</summary>
    /// <value>Defaults to 5 minutes; between 1 second and 1 day.</value>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The most due enrolments one scheduler run claims.</summary>
    /// <value>Defaults to 500; between 1 and 100,000.</value>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>How long a step waits when the CRM no longer returns its lead.</summary>
    /// <value>Defaults to 1 day; greater than zero.</value>
    public TimeSpan MissingLeadRetry { get; set; } = TimeSpan.FromDays(1);
}
