namespace Alignment.Hosting;

/// <summary>Options of the background workers (<c>AddAlignmentWorker</c>), validated when the host starts.</summary>
public sealed class AlignmentWorkerOptions
{
    /// <summary>The workers to run. Default: <see cref="AlignmentWorkers.All"/>; a selected worker whose engine is not registered stops the host at start-up, naming it.</summary>
    public AlignmentWorkers Workers { get; set; } = AlignmentWorkers.All;

    /// <summary>
    /// This instance's name in leases and logs; must be unique among the instances sharing the stores. Default: machine name,
    /// process id and a random suffix.
    /// </summary>
    public string InstanceId { get; set; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>How long the nurture worker waits after a run that found fewer due steps than a batch (a full batch runs again at once). Default 30 s; 10 ms to 1 hour.</summary>
    public TimeSpan NurtureInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the decision relay waits after a read of its outbox that found nothing pending (a read delivers at most 1,000
    /// decisions; after a full one the relay goes on at once, after one that delivered fewer it reads again after
    /// <see cref="RelayBusyInterval"/>); also about how often the relay leader renews its lease, and how often a standby instance
    /// looks for an expired one. Default 500 ms; 10 ms to 1 hour, at most half of <see cref="LeaseDuration"/>.
    /// </summary>
    public TimeSpan RelayInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long the decision relay waits after a read that delivered decisions (fewer than a read's most) before it reads again:
    /// while every read finds some (decisions arrive at least this often), each waits about this long in the outbox; the first
    /// read that finds none returns the relay to <see cref="RelayInterval"/>, so a trickle of decisions still waits up to that.
    /// The lease is renewed about every <see cref="RelayInterval"/> either way, not at every read. Short by default because a
    /// decision that waits long in an in-memory outbox outlives the runtime's young generations and is copied into the old one
    /// before it is delivered and dropped: at 500 ms that cost a busy in-memory service an eighth to a sixth of its throughput
    /// (docs/performance.md). Default 20 ms; 1 ms to 1 hour; a value not below <see cref="RelayInterval"/> waits <see cref="RelayInterval"/>.
    /// </summary>
    public TimeSpan RelayBusyInterval { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How often the SLA leader checks for breaches, and a standby instance for an expired lease. Default 15 s; 10 ms to 1 hour, at most half of <see cref="LeaseDuration"/>.</summary>
    public TimeSpan SlaCheckInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long the decay worker sleeps at most: it wakes at the next watched crossing or after this, whichever is first (to see
    /// watches other instances set, and to renew its lease). Default 1 minute; 10 ms to 1 hour, at most half of <see cref="LeaseDuration"/>.
    /// </summary>
    public TimeSpan DecayPollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many due watches the decay worker handles per pass. Default 500; 1 to 100,000.</summary>
    public int DecayBatchSize { get; set; } = 500;

    /// <summary>
    /// How long a single-leader worker's lease lasts without renewal: when the leader's process dies, another instance takes over
    /// within this time plus one interval. The leader renews it every interval. Default 2 minutes; 100 ms to 1 day.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How often the model-refresh worker reads the registry for activations and rollbacks made by other processes (one made in this
    /// process takes effect at once). Default 15 s; 10 ms to 1 hour.
    /// </summary>
    public TimeSpan ModelRefreshInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How often the challenger-flush worker writes the pairs of scores and outcomes buffered beside challengers to the challenger
    /// ledger and takes up challengers attached or detached by other hosts: the most a comparison read from the ledger lags behind
    /// scoring (and what a crash can lose). Default 5 s; 10 ms to 1 hour.
    /// </summary>
    public TimeSpan ChallengerFlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The tenants (or business units) whose active models are loaded from the registry before the host starts, so the first lead of
    /// each is scored without waiting; a tenant without an active release is logged as a warning and loaded when one is activated.
    /// Default: none (a host then calls <c>GetAsync</c> for a tenant before its first lead).
    /// </summary>
    public IList<string> ModelTenants { get; } = [];

    /// <summary>The first wait after a failed cycle; it doubles (with jitter) up to <see cref="MaxErrorBackoff"/> while cycles keep failing. Default 1 s; 1 ms to 1 hour.</summary>
    public TimeSpan ErrorBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait after failed cycles. Default 1 minute; at least <see cref="ErrorBackoff"/>, at most 1 hour.</summary>
    public TimeSpan MaxErrorBackoff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Whether a host whose state is durable (a store that is not in-memory) may still use an in-memory step handler, decision
    /// sink, lease store or score-watch store. Default <see langword="false"/>: such a host does not start, and the error names
    /// each in-memory service (steps "sent" to memory and decisions kept in memory are lost with the process; in-memory leases let
    /// every instance lead). <see langword="true"/> logs each as a warning instead.
    /// </summary>
    public bool AllowInMemoryWithDurableStores { get; set; }
}
