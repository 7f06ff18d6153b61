using System.Globalization;
using Alignment.Models;
using Alignment.Models.Registry;

namespace Alignment.Scoring.Governance;

/// <summary>
/// Keeps a tenant's scoring releases in a <see cref="IModelRegistry"/> in step with a folder of release files
/// (<c>*.release.json</c>, read by <see cref="ScoringModelRelease.Load"/>): the host of a file-based deployment points it at the
/// folder where marketing ops drops signed releases. Each valid file is published with its approvals; the highest publishable
/// version becomes active if it never was (so a restart, or a second host on the same folder, never undoes a rollback). A file that does not load, does not compile against
/// the host's options, or is not signed off is never activated, so an invalid file never replaces a good model: it is reported in
/// the sync's result and by <see cref="Rejected"/>.
/// </summary>
/// <remarks>
/// <see cref="SyncAsync"/> reads the folder once; <see cref="Watch"/> runs it again whenever a file there changes (the host's
/// own polling, calling <see cref="SyncAsync"/> on a timer, works as well). Thread-safe: syncs run one at a time.
/// </remarks>
public sealed class ScoringReleaseFolder : IDisposable
{
    private readonly IModelRegistry _registry;
    private readonly string _tenant;
    private readonly string _folder;
    private readonly ScoringModelOptions? _options;
#pragma warning disable CA2213 // Not disposed: a sync may still hold it when the folder is disposed; it owns no wait handle.
    private readonly SemaphoreSlim _gate = new(1, 1);
#pragma warning restore CA2213
    private readonly HashSet<string> _activated = new(StringComparer.Ordinal);
    private FileSystemWatcher? _watcher;

    /// <summary>Follows <paramref name="folder"/> for <paramref name="tenant"/>.</summary>
    /// <param name="registry">The registry to publish and activate in.</param>
    /// <param name="tenant">The tenant the folder's releases are for.</param>
    /// <param name="folder">The folder of release files.</param>
    /// <param name="options">The attribute schema and plugin rules a release must compile against; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> or <paramref name="folder"/> is empty.</exception>
    public ScoringReleaseFolder(IModelRegistry registry, string tenant, string folder, ScoringModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        _registry = registry;
        _tenant = tenant;
        _folder = Path.GetFullPath(folder);
        _options = options;
    }

    /// <summary>Raised for each release file a sync did not take (the file and why), after the sync.</summary>
    public event EventHandler<ModelRejectedEventArgs>? Rejected;

    /// <summary>Reads the folder: publishes every valid release with its approvals and activates a new publishable one.</summary>
    /// <param name="cancellationToken">Cancels the sync between files.</param>
    /// <returns>What the sync did: the release activated (if any) and each file refused with its problems.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public async Task<ReleaseFolderSync> SyncAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var refused = new List<(string File, IReadOnlyList<string> Problems)>();
            var candidates = new List<ScoringModelRelease>();
            foreach (string file in Directory.EnumerateFiles(_folder, "*.release.json").Order(StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                string name = Path.GetFileName(file);
                string text;
                try
                {
                    text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    refused.Add((name, [$"cannot be read: {e.Message}"]));
                    continue;
                }

                if (!ScoringModelRelease.TryLoad(text, new ModelLoadOptions { Document = name }, out var release, out var errors))
                {
                    refused.Add((name, [.. errors.Select(e => e.ToString())]));
                    continue;
                }

                var modelRelease = release.ToModelRelease(_tenant);
                if (!ScoringModel.TryLoad(modelRelease.Content, WithDocument(name), out _, out var compileErrors))
                {
                    refused.Add((name, [.. compileErrors.Select(e => e.ToString())]));
                    continue;
                }

                try
                {
                    var stored = await _registry.PublishAsync(modelRelease, cancellationToken).ConfigureAwait(false);
                    foreach (var approval in release.ValidApprovals)
                    {
                        await _registry.ApproveAsync(stored.Key, approval, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is InvalidOperationException or ArgumentException)
                {
                    // An active version edited in place, one person approving for both sides, an approver's name the registry
                    // refuses: this file is refused, never activated, and the others are still read.
                    refused.Add((name, [e.Message]));
                    continue;
                }

                if (release.IsPublishable)
                {
                    candidates.Add(release);
                }
                else
                {
                    refused.Add((name, [.. release.GetPublishProblems().Select(p => $"not activated: {p}")]));
                }
            }

            // A release activated before (by this folder, another host's or an operator) is not new: a restart or a second host
            // must not undo a rollback by activating it again.
            foreach (var past in await _registry.GetHistoryAsync(_tenant, ModelKind.Scoring, cancellationToken).ConfigureAwait(false))
            {
                _activated.Add(past.ContentHash);
            }

            ModelActivation? activated = null;
            // The highest signed version in the folder, if it was never active: a lower one (or one an operator rolled back from)
            // is left to the operators.
            var newest = candidates.OrderBy(r => r.Version, VersionOrder.Instance).LastOrDefault();
            if (newest is not null && !_activated.Contains(newest.ContentHash))
            {
                var active = await _registry.GetActiveAsync(_tenant, ModelKind.Scoring, cancellationToken).ConfigureAwait(false);
                if (active is null || active.ContentHash != newest.ContentHash)
                {
                    activated = await _registry.ActivateAsync(newest.ToModelRelease(_tenant).Key, "release folder", $"signed release {newest.Id}@{newest.Version} appeared in {_folder}", cancellationToken).ConfigureAwait(false);
                }

                foreach (var r in candidates)
                {
                    _activated.Add(r.ContentHash);
                }
            }

            foreach (var (file, problems) in refused)
            {
                Report(new ModelRejectedEventArgs(new ReleaseKey(_tenant, ModelKind.Scoring, file, "?"), problems));
            }

            return new ReleaseFolderSync(activated, [.. refused.Select(r => new RefusedReleaseFile(r.File, r.Problems))]);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Syncs again whenever a release file in the folder is created, changed or renamed, until disposed.</summary>
    /// <exception cref="InvalidOperationException">The folder is already watched.</exception>
    public void Watch()
    {
        if (_watcher is not null)
        {
            throw new InvalidOperationException($"{_folder} is already watched.");
        }

        _watcher = new FileSystemWatcher(_folder, "*.release.json") { NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
        FileSystemEventHandler changed = (_, _) => _ = SyncQuietlyAsync();
        _watcher.Created += changed;
        _watcher.Changed += changed;
        _watcher.Renamed += (_, _) => _ = SyncQuietlyAsync();
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>Stops watching the folder (a sync under way finishes).</summary>
    public void Dispose() => _watcher?.Dispose();

    private async Task SyncQuietlyAsync()
    {
        try
        {
            await SyncAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A sync started by a file event has no caller to throw to: whatever failed is reported instead.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Report(new ModelRejectedEventArgs(new ReleaseKey(_tenant, ModelKind.Scoring, _folder, "?"), [e.Message]));
        }
    }

    private void Report(ModelRejectedEventArgs e)
    {
        try
        {
            Rejected?.Invoke(this, e);
        }
#pragma warning disable CA1031 // A host's handler failing must not fail the sync (its activation is made).
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private ScoringModelOptions WithDocument(string name) => _options is null
        ? new ScoringModelOptions { Document = name }
        : new ScoringModelOptions { Schema = _options.Schema, PluginRules = _options.PluginRules, Limits = _options.Limits, PreferInterpretation = _options.PreferInterpretation, Document = name };

    /// <summary>Orders versions by their numeric parts (<c>1.10.0</c> after <c>1.9.0</c>), then ordinally.</summary>
    private sealed class VersionOrder : IComparer<string>
    {
        public static readonly VersionOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            var a = (x ?? string.Empty).Split('.', '-', '+');
            var b = (y ?? string.Empty).Split('.', '-', '+');
            for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
            {
                int c = long.TryParse(a[i], NumberStyles.None, CultureInfo.InvariantCulture, out long na) && long.TryParse(b[i], NumberStyles.None, CultureInfo.InvariantCulture, out long nb)
                    ? na.CompareTo(nb)
                    : string.CompareOrdinal(a[i], b[i]);
                if (c != 0)
                {
                    return c;
                }
            }

            return a.Length.CompareTo(b.Length);
        }
    }
}

/// <summary>What one <see cref="ScoringReleaseFolder.SyncAsync"/> did.</summary>
/// <param name="Activated">The release it made active, or <see langword="null"/> when the active one stayed.</param>
/// <param name="Refused">The files it did not take, each with why.</param>
public sealed record ReleaseFolderSync(ModelActivation? Activated, IReadOnlyList<RefusedReleaseFile> Refused);

/// <summary>A release file a folder sync did not take.</summary>
/// <param name="File">The file's name.</param>
/// <param name="Problems">Why: each problem with its JSON path, or the missing sign-off.</param>
public sealed record RefusedReleaseFile(string File, IReadOnlyList<string> Problems);
