using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Alignment.Models.Registry;

/// <summary>
/// An <see cref="IModelRegistry"/> kept in a folder, for the <c>alignment release</c> command and small file-based hosts: releases,
/// approvals and the activation history survive the process, and several processes (or several instances in one process) may use
/// one folder at once.
/// </summary>
/// <remarks>
/// <para>
/// Each tenant has a folder named after it (<c>tenant-</c> and the name with every character but <c>a</c>-<c>z</c>,
/// <c>0</c>-<c>9</c>, <c>-</c> and <c>_</c> escaped as <c>%XX</c> of its UTF-8 bytes; a long name is cut and ends with a hash),
/// so no tenant name can reach outside the registry folder or into another tenant's. In it, each kind of model has one JSON file
/// (<c>scoring.json</c>, <c>segmentation.json</c>, <c>routing.json</c>, <c>nurture.json</c>) holding the tenant, the kind, every
/// release with its approvals, and the history, each entry with the release as it was activated; and a lock file beside it.
/// </para>
/// <para>
/// Every call takes the lock of its tenant and kind (the lock file opened exclusively, retried for up to <see cref="LockTimeout"/>),
/// reads the file again, and a change writes the whole file to a temporary file in the same folder and renames it over the old
/// one, so a reader never sees half a change and a crash loses at most the change in progress. Two activations therefore never
/// share a sequence, and the approval rule is checked against the approvals on disk. <see cref="Activated"/> is raised in the
/// process that made the change, after the lock is released; other processes poll <see cref="GetActiveAsync"/>.
/// </para>
/// <para>
/// A file that is not a registry file (hand-edited, truncated, or moved from another tenant's folder) is reported as an
/// <see cref="InvalidDataException"/> that names the file and, where the JSON is malformed, the JSON path and line; the registry
/// never repairs or overwrites it. Every change rewrites the file of its tenant and kind, so this registry suits tens of
/// releases per kind, not thousands; a registry shared by hosts on several machines belongs in a database.
/// </para>
/// </remarks>
public sealed class FileModelRegistry : IModelRegistry
{
    /// <summary>The layout version written in each file.</summary>
    private const int Format = 1;

    /// <summary>The longest escaped tenant name used as it is; a longer one is cut and ends with a hash of the whole name.</summary>
    private const int MaxFolderNameLength = 96;

    /// <summary>The serializer: the source-generated context, writing the model's JSON readably (quotes not as <c>\u0022</c>; the file is never HTML).</summary>
    private static readonly FileRegistryJsonContext Json = new(new JsonSerializerOptions(FileRegistryJsonContext.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private readonly TimeProvider _time;
    private readonly TimeSpan _lockTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Creates a registry in a folder (created with the first change when missing).</summary>
    /// <param name="folder">The registry folder.</param>
    /// <param name="timeProvider">The clock that dates activations; <see langword="null"/> for the system clock.</param>
    /// <exception cref="ArgumentException"><paramref name="folder"/> is empty or not a valid path.</exception>
    public FileModelRegistry(string folder, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Folder = Path.GetFullPath(folder);
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public event EventHandler<ModelActivation>? Activated;

    /// <summary>The registry folder, as a full path.</summary>
    public string Folder { get; }

    /// <summary>How long a call waits for the lock of a tenant and kind that another call or process holds before it fails.</summary>
    /// <value>Ten seconds by default; more than zero.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan LockTimeout
    {
        get => _lockTimeout;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _lockTimeout = value;
        }
    }

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">The tenant's file of that kind is not a valid registry file.</exception>
    /// <exception cref="IOException">The lock was not free within <see cref="LockTimeout"/>, or the file could not be written.</exception>
    public ValueTask<ModelRelease> PublishAsync(ModelRelease release, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(release);
        return ChangeAsync(release.Key.Tenant, release.Key.Kind, state =>
        {
            var existing = state.Find(release.Key);
            var stored = ModelRegistryRules.Publish(existing, release, state.History);
            if (!ReferenceEquals(stored, existing))
            {
                state.Put(stored);
            }

            return stored;
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">The tenant's file of that kind is not a valid registry file.</exception>
    /// <exception cref="IOException">The lock was not free within <see cref="LockTimeout"/>, or the file could not be written.</exception>
    public ValueTask<ModelRelease> ApproveAsync(ReleaseKey key, ModelApproval approval, CancellationToken cancellationToken = default)
    {
        ModelApprovals.Validate(approval, nameof(approval));
        key.Validate(nameof(key));
        return ChangeAsync(key.Tenant, key.Kind, state =>
        {
            var release = state.Require(key);
            var approved = ModelRegistryRules.Approve(release, approval);
            if (!ReferenceEquals(approved, release))
            {
                state.Put(approved);
            }

            return approved;
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">The tenant's file of that kind is not a valid registry file.</exception>
    /// <exception cref="IOException">The lock was not free within <see cref="LockTimeout"/>, or the file could not be written.</exception>
    public async ValueTask<ModelActivation> ActivateAsync(ReleaseKey key, string activatedBy, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(activatedBy);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        key.Validate(nameof(key));
        bool recorded = false;
        var activation = await ChangeAsync(key.Tenant, key.Kind, state =>
        {
            var release = state.Require(key);
            if (ModelRegistryRules.AlreadyActive(state.History, release) is { } active)
            {
                return active;
            }

            recorded = true;
            return state.Record(ModelRegistryRules.Activation(release, activatedBy, reason, isRollback: false, state.History.Count + 1, _time.GetUtcNow()));
        }, cancellationToken).ConfigureAwait(false);
        if (recorded)
        {
            ModelRegistryRules.Raise(Activated, this, activation);
        }

        return activation;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">The tenant's file of that kind is not a valid registry file.</exception>
    /// <exception cref="IOException">The lock was not free within <see cref="LockTimeout"/>, or the file could not be written.</exception>
    public async ValueTask<ModelActivation> RollbackAsync(string tenant, ModelKind kind, string rolledBackBy, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        ArgumentException.ThrowIfNullOrWhiteSpace(rolledBackBy);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        bool recorded = false;
        var activation = await ChangeAsync(tenant, kind, state =>
        {
            if (ModelRegistryRules.RetriedRollback(state.History, rolledBackBy, reason) is { } done)
            {
                return done;
            }

            var release = state.Require(ModelRegistryRules.RollbackTarget(state.History, tenant, kind));
            recorded = true;
            return state.Record(ModelRegistryRules.Activation(release, rolledBackBy, reason, isRollback: true, state.History.Count + 1, _time.GetUtcNow()));
        }, cancellationToken).ConfigureAwait(false);
        if (recorded)
        {
            ModelRegistryRules.Raise(Activated, this, activation);
        }

        return activation;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">The tenant's file of that kind is not a valid registry file.</exception>
    /// <exception cref="IOException">The lock was not free within <see cref="LockTimeout"/>.</exception>
    public ValueTask<ModelActivation?> GetActiveAsync(string tenant, ModelKind kind, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        return ReadAsync(tenant, kind, state => state.History.Count > 0 ? state.History[^1] : null, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">The tenant's file of that kind is not a valid registry file.</exception>
    /// <exception cref="IOException">The lock was not free within <see cref="LockTimeout"/>.</exception>
    public ValueTask<ModelRelease?> FindAsync(ReleaseKey key, CancellationToken cancellationToken = default)
    {
        key.Validate(nameof(key));
        return ReadAsync(key.Tenant, key.Kind, state => state.Find(key), cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">The tenant's file of that kind is not a valid registry file.</exception>
    /// <exception cref="IOException">The lock was not free within <see cref="LockTimeout"/>.</exception>
    public ValueTask<IReadOnlyList<ModelActivation>> GetHistoryAsync(string tenant, ModelKind kind, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        return ReadAsync<IReadOnlyList<ModelActivation>>(tenant, kind, state => [.. state.History], cancellationToken);
    }

    /// <summary>
    /// The folder name of a tenant: <c>tenant-</c> and the name with every character but <c>a</c>-<c>z</c>, <c>0</c>-<c>9</c>,
    /// <c>-</c> and <c>_</c> escaped as <c>%XX</c> (upper-case hex of its UTF-8 bytes), so that two names never share a folder, even
    /// on a file system that ignores case, and no name is <c>..</c>, holds a separator or is reserved; a long name is cut and ends
    /// with <c>~</c> and a hash of the whole name.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <returns>The folder name.</returns>
    internal static string TenantFolderName(string tenant)
    {
        var name = new StringBuilder("tenant-");
        foreach (byte b in Encoding.UTF8.GetBytes(tenant))
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_')
            {
                name.Append((char)b);
            }
            else
            {
                name.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
            }
        }

        if (name.Length <= MaxFolderNameLength)
        {
            return name.ToString();
        }

        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tenant)))[..32];
        return name.ToString(0, MaxFolderNameLength - 33) + "~" + hash;
    }

    private static string KindName(ModelKind kind) => kind switch
    {
        ModelKind.Scoring => "scoring",
        ModelKind.Segmentation => "segmentation",
        ModelKind.Routing => "routing",
        ModelKind.Nurture => "nurture",
        _ => throw new ArgumentException($"Model kind {(int)kind} is not defined.", nameof(kind)),
    };

    private string TenantFolder(string tenant)
    {
        string folder = Path.GetFullPath(Path.Combine(Folder, TenantFolderName(tenant)));
        // The escaping keeps every name inside the registry folder; this is the guard should it ever change.
        if (!string.Equals(Path.GetDirectoryName(folder), Folder.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar), StringComparison.Ordinal))
        {
            throw new ArgumentException($"Tenant '{tenant}' does not map to a folder inside the registry.", nameof(tenant));
        }

        return folder;
    }

    private async ValueTask<T> ReadAsync<T>(string tenant, ModelKind kind, Func<State, T> read, CancellationToken cancellationToken)
    {
        string kindName = KindName(kind);
        string folder = TenantFolder(tenant);
        cancellationToken.ThrowIfCancellationRequested();
        if (!Directory.Exists(folder))
        {
            return read(State.Empty(tenant, kind, Path.Combine(folder, kindName + ".json")));
        }

        using var gate = await LockAsync(folder, kindName, cancellationToken).ConfigureAwait(false);
        return read(State.Load(tenant, kind, Path.Combine(folder, kindName + ".json")));
    }

    private async ValueTask<T> ChangeAsync<T>(string tenant, ModelKind kind, Func<State, T> change, CancellationToken cancellationToken)
    {
        string kindName = KindName(kind);
        string folder = TenantFolder(tenant);
        cancellationToken.ThrowIfCancellationRequested();
        Directory.CreateDirectory(folder);
        using var gate = await LockAsync(folder, kindName, cancellationToken).ConfigureAwait(false);
        var state = State.Load(tenant, kind, Path.Combine(folder, kindName + ".json"));
        var result = change(state);
        if (state.Changed)
        {
            state.Save();
        }

        return result;
    }

    /// <summary>Opens the lock file of a tenant and kind exclusively, retrying while another call or process holds it.</summary>
    private async ValueTask<FileStream> LockAsync(string folder, string kindName, CancellationToken cancellationToken)
    {
        string path = Path.Combine(folder, kindName + ".lock");
        long start = Stopwatch.GetTimestamp();
        int delayMs = 1;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException)
            {
                if (Stopwatch.GetElapsedTime(start) >= _lockTimeout)
                {
                    throw new IOException($"{path}: the model registry's lock was not free within {_lockTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s (another process is changing the registry, or holds the lock file open).", e);
                }
            }

            await Task.Delay(delayMs, cancellationToken).ConfigureAwait(false);
            delayMs = Math.Min(delayMs * 2, 50);
        }
    }

    /// <summary>One tenant's releases and history of one kind, as read from its file, with the changes a call makes to them.</summary>
    private sealed class State
    {
        private readonly List<ModelRelease> _releases;
        private readonly List<ModelActivation> _history;

        private State(string tenant, ModelKind kind, string path, List<ModelRelease> releases, List<ModelActivation> history)
        {
            Tenant = tenant;
            Kind = kind;
            Path = path;
            _releases = releases;
            _history = history;
        }

        public string Tenant { get; }

        public ModelKind Kind { get; }

        public string Path { get; }

        public List<ModelActivation> History => _history;

        public bool Changed { get; private set; }

        public static State Empty(string tenant, ModelKind kind, string path) => new(tenant, kind, path, [], []);

        public static State Load(string tenant, ModelKind kind, string path)
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(path);
            }
            catch (FileNotFoundException)
            {
                return Empty(tenant, kind, path);
            }

            FileRegistryDocument document;
            try
            {
                // A file saved by an editor may start with a UTF-8 byte order mark, which the reader does not skip on its own.
                document = JsonSerializer.Deserialize(bytes.AsSpan().StartsWith("\uFEFF"u8) ? bytes.AsSpan(3) : bytes, Json.FileRegistryDocument)
                    ?? throw Invalid(path, "$", "the file holds null instead of a registry document");
            }
            catch (JsonException e)
            {
                string where = e.Path is { } p ? $" at {p}" : string.Empty;
                string line = e.LineNumber is { } l ? string.Create(CultureInfo.InvariantCulture, $" (line {l + 1})") : string.Empty;
                throw new InvalidDataException($"{path}: not a valid model registry file{where}{line}: {e.Message.Split(" Path:")[0]}", e);
            }

            if (document.Format != Format)
            {
                throw Invalid(path, "$.format", $"layout {document.Format} is not the one this version reads ({Format})");
            }

            if (document.Tenant != tenant || document.Kind != kind)
            {
                throw Invalid(path, "$.tenant", $"the file holds the {document.Kind} models of tenant '{document.Tenant}', not the {kind} models of tenant '{tenant}' (was it copied from another folder?)");
            }

            var releases = new List<ModelRelease>(document.Releases.Count);
            for (int i = 0; i < document.Releases.Count; i++)
            {
                var release = ToRelease(path, $"$.releases[{i}]", tenant, kind, document.Releases[i]);
                if (releases.Any(r => r.Key == release.Key))
                {
                    throw Invalid(path, $"$.releases[{i}]", $"{release.Key.Id}@{release.Key.Version} is listed twice");
                }

                releases.Add(release);
            }

            var history = new List<ModelActivation>(document.History.Count);
            for (int i = 0; i < document.History.Count; i++)
            {
                var entry = document.History[i];
                string at = $"$.history[{i}]";
                if (entry.Sequence != i + 1)
                {
                    throw Invalid(path, at + ".sequence", string.Create(CultureInfo.InvariantCulture, $"sequence {entry.Sequence} where {i + 1} was expected (the history is numbered from 1 without gaps)"));
                }

                if (string.IsNullOrWhiteSpace(entry.ActivatedBy) || string.IsNullOrWhiteSpace(entry.Reason))
                {
                    throw Invalid(path, at, "an activation without who or why");
                }

                history.Add(new ModelActivation(ToRelease(path, at + ".release", tenant, kind, entry.Release), entry.ActivatedBy, entry.At, entry.Reason, entry.IsRollback, entry.Sequence));
            }

            return new State(tenant, kind, path, releases, history);
        }

        public ModelRelease? Find(ReleaseKey key) => _releases.Find(r => r.Key == key);

        public ModelRelease Require(ReleaseKey key) => Find(key) ?? throw ModelRegistryRules.NotPublished(key);

        public void Put(ModelRelease release)
        {
            int index = _releases.FindIndex(r => r.Key == release.Key);
            if (index < 0)
            {
                _releases.Add(release);
            }
            else
            {
                _releases[index] = release;
            }

            Changed = true;
        }

        public ModelActivation Record(ModelActivation activation)
        {
            _history.Add(activation);
            Changed = true;
            return activation;
        }

        /// <summary>Writes the file in full to a temporary file beside it, flushed to disk, and renames it over the file.</summary>
        public void Save()
        {
            var document = new FileRegistryDocument
            {
                Format = Format,
                Tenant = Tenant,
                Kind = Kind,
                Releases = [.. _releases.Select(FromRelease)],
                History = [.. _history.Select(h => new FileRegistryActivation
                {
                    Sequence = h.Sequence,
                    Release = FromRelease(h.Release),
                    ActivatedBy = h.ActivatedBy,
                    At = h.At,
                    Reason = h.Reason,
                    IsRollback = h.IsRollback,
                })],
            };
            string temp = $"{Path}.{Guid.NewGuid():N}.tmp";
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    JsonSerializer.Serialize(stream, document, Json.FileRegistryDocument);
                    stream.Flush(flushToDisk: true);
                }

                File.Move(temp, Path, overwrite: true);
            }
            finally
            {
                File.Delete(temp);
            }

            Changed = false;
        }

        private static ModelRelease ToRelease(string path, string at, string tenant, ModelKind kind, FileRegistryRelease stored)
        {
            try
            {
                var release = new ModelRelease(new ReleaseKey(tenant, kind, stored.Id, stored.Version), stored.Content, stored.ContentHash);
                var approvals = new List<ModelApproval>(stored.Approvals.Count);
                for (int i = 0; i < stored.Approvals.Count; i++)
                {
                    var a = stored.Approvals[i];
                    var approval = new ModelApproval(a.ApprovedBy, a.Side, a.ApprovedAt, a.ContentHash) { Comment = a.Comment };
                    ModelApprovals.Validate(approval, $"{at}.approvals[{i}]");
                    approvals.Add(approval);
                }

                return release with { Approvals = [.. approvals] };
            }
            catch (ArgumentException e)
            {
                throw Invalid(path, e.ParamName is { } p && p.StartsWith('$') ? p : at, e.Message.Split(" (Parameter")[0]);
            }
        }

        private static FileRegistryRelease FromRelease(ModelRelease release) => new()
        {
            Id = release.Key.Id,
            Version = release.Key.Version,
            ContentHash = release.ContentHash,
            Content = release.Content,
            Approvals = [.. release.Approvals.Select(a => new FileRegistryApproval
            {
                ApprovedBy = a.ApprovedBy,
                Side = a.Side,
                ApprovedAt = a.ApprovedAt,
                ContentHash = a.ContentHash,
                Comment = a.Comment,
            })],
        };

        private static InvalidDataException Invalid(string path, string jsonPath, string problem) => new($"{path}: not a valid model registry file at {jsonPath}: {problem}");
    }
}
