using System.Collections.Concurrent;
using Lambda.Log.Embedded.Storage;
using Lambda.SharedModel.IO;
using Lambda.SharedModel.Log;

namespace Lambda.Log.Embedded;

/// <summary>
/// The event log on local disk: <c>topics/&lt;topic&gt;/&lt;partition&gt;/&lt;base offset&gt;.seg</c> segment files of
/// checksummed record batches, <c>groups/&lt;group&gt;.offsets</c>, and a <c>.lock</c> held by the one owning
/// process. See README.md beside this file for the format and the durability guarantees.
/// </summary>
public sealed class EmbeddedEventLog : IEventLog
{
    private const string CleanMarker = ".clean";
    private readonly ConcurrentDictionary<string, TopicLog> _topics = new(StringComparer.Ordinal);
    private readonly Lock _adminLock = new();
    private readonly FileLock? _lock;
    private readonly GroupOffsetStore _groups;
    private readonly Timer? _fsyncTimer;
    private readonly BackgroundLoop? _retention;
    private readonly Lock _retentionLock = new();
    private readonly string _topicsPath;
    private int _disposed;
    private long _segmentsDeleted;
    private int _syncing;

    private EmbeddedEventLog(EmbeddedLogOptions options, FileLock? directoryLock)
    {
        Options = options;
        _lock = directoryLock;
        _topicsPath = Path.Combine(options.RootPath, "topics");
        _groups = new GroupOffsetStore(Path.Combine(options.RootPath, "groups"), options.ReadOnly);
        if (options.Fsync == FsyncPolicy.Interval && !options.ReadOnly)
        {
            _fsyncTimer = new Timer(_ => SyncDirtyPartitions(), null, options.FsyncIntervalMs, options.FsyncIntervalMs);
        }

        if (options.RetentionMs is not null && !options.ReadOnly)
        {
            _retention = new BackgroundLoop("lambda-log-retention", TimeSpan.FromMilliseconds(options.RetentionCheckIntervalMs), EnforceRetentionInBackground);
        }
    }

    /// <summary>Segments deleted by retention since the log was opened.</summary>
    public long SegmentsDeleted => Interlocked.Read(ref _segmentsDeleted);

    /// <summary>The last error of a background retention pass (e.g. an unreadable group file), or null.</summary>
    public Exception? RetentionError { get; private set; }

    public string Kind => "embedded";

    public EmbeddedLogOptions Options { get; }

    /// <summary>
    /// Opens (creating if needed) the log at <see cref="EmbeddedLogOptions.RootPath"/>, taking its lock unless
    /// read-only. After an unclean shutdown each partition's last segment is verified and a torn tail cut.
    /// </summary>
    public static EmbeddedEventLog Open(EmbeddedLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.ReadOnly)
        {
            if (!Directory.Exists(options.RootPath))
            {
                throw new DirectoryNotFoundException($"no log at '{options.RootPath}' to open read-only");
            }

            var reader = new EmbeddedEventLog(options, null);
            reader.LoadTopics(verifyTail: true);
            return reader;
        }

        Directory.CreateDirectory(options.RootPath);
        var directoryLock = LogOwnership.Claim(options.RootPath, options.Owner);
        try
        {
            var marker = Path.Combine(options.RootPath, CleanMarker);
            var clean = File.Exists(marker);
            if (clean)
            {
                // From here until a clean close, a crash must lead to verification on the next open.
                File.Delete(marker);
                DurableFiles.FsyncDirectory(options.RootPath);
            }

            var log = new EmbeddedEventLog(options, directoryLock);
            log.LoadTopics(verifyTail: !clean);
            return log;
        }
        catch
        {
            directoryLock.Dispose();
            throw;
        }
    }

    public ValueTask CreateTopicAsync(string topic, int partitions, CancellationToken cancellationToken = default)
    {
        TopicLog.ValidateName(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ThrowIfReadOnly();
        lock (_adminLock)
        {
            if (_topics.TryGetValue(topic, out var existing))
            {
                if (existing.Partitions.Length != partitions)
                {
                    throw new InvalidOperationException(
                        $"topic '{topic}' exists with {existing.Partitions.Length} partitions, not {partitions}: repartitioning would break co-partitioning");
                }

                return ValueTask.CompletedTask;
            }

            _topics[topic] = TopicLog.Create(Path.Combine(_topicsPath, topic), topic, partitions, Options);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<TopicDescription>> ListTopicsAsync(CancellationToken cancellationToken = default)
    {
        if (Options.ReadOnly)
        {
            LoadTopics(verifyTail: true);
        }

        IReadOnlyList<TopicDescription> topics = [.. _topics.Values
            .Select(t => new TopicDescription(t.Name, t.Partitions.Length))
            .OrderBy(t => t.Name, StringComparer.Ordinal)];
        return ValueTask.FromResult(topics);
    }

    public ValueTask<PartitionOffsets> GetOffsetsAsync(TopicPartition topicPartition, CancellationToken cancellationToken = default)
    {
        var partition = GetPartition(topicPartition);
        if (Options.ReadOnly)
        {
            partition.Refresh();
        }

        return ValueTask.FromResult(new PartitionOffsets(topicPartition, partition.StartOffset, partition.EndOffset));
    }

    public ILogProducer CreateProducer()
    {
        ThrowIfReadOnly();
        return new EmbeddedProducer(this);
    }

    public ILogReader CreateReader() => new EmbeddedReader(this);

    public ValueTask CommitAsync(string group, IReadOnlyList<TopicPartitionOffset> offsets, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentNullException.ThrowIfNull(offsets);
        foreach (var o in offsets)
        {
            GetPartition(o.TopicPartition);
            ArgumentOutOfRangeException.ThrowIfNegative(o.Offset);
        }

        return _groups.CommitAsync(group, offsets, cancellationToken);
    }

    public ValueTask<long?> GetCommittedAsync(string group, TopicPartition topicPartition, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        GetPartition(topicPartition);
        return _groups.GetCommittedAsync(group, topicPartition, cancellationToken);
    }

    /// <summary>Forces every partition to disk, leaves a clean-close marker (so the next open need not verify) and releases the lock.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (_fsyncTimer is not null)
        {
            await _fsyncTimer.DisposeAsync().ConfigureAwait(false);
        }

        // A retention pass in progress finishes before the files close.
        _retention?.Dispose();
        using var retention = _retentionLock.EnterScope();
        lock (_adminLock)
        {
            foreach (var topic in _topics.Values)
            {
                foreach (var partition in topic.Partitions)
                {
                    partition.Close();
                }
            }

            if (_lock is not null)
            {
                try
                {
                    DurableFiles.Replace(Path.Combine(Options.RootPath, CleanMarker), "clean\n"u8);
                }
                catch (IOException)
                {
                    // No room for the marker (a full disk): the next open verifies the tails, as after a crash.
                    File.Delete(Path.Combine(Options.RootPath, CleanMarker + ".tmp"));
                }
                finally
                {
                    _lock.Dispose();
                }
            }
        }
    }

    /// <summary>
    /// One retention pass (the background timer runs it every <see cref="EmbeddedLogOptions.RetentionCheckIntervalMs"/>):
    /// in every partition, deletes sealed segments, oldest first, whose newest record is older than
    /// <see cref="EmbeddedLogOptions.RetentionMs"/> before <paramref name="nowMs"/> (default: the clock) and which every
    /// guard group has read past. Does nothing without a retention or on a read-only log. Returns the segments deleted.
    /// </summary>
    public int EnforceRetention(long? nowMs = null)
    {
        if (Options.RetentionMs is not { } retention || Options.ReadOnly || Volatile.Read(ref _disposed) == 1)
        {
            return 0;
        }

        var cutoff = (nowMs ?? Options.Time.GetUtcNow().ToUnixTimeMilliseconds()) - retention;
        var guards = Options.RetentionGuardGroups.Select(_groups.Snapshot).ToArray();
        var deleted = 0;
        lock (_retentionLock)
        {
            if (Volatile.Read(ref _disposed) == 1)
            {
                return 0;
            }

            foreach (var topic in _topics.Values)
            {
                foreach (var partition in topic.Partitions)
                {
                    var guard = long.MaxValue;
                    foreach (var committed in guards)
                    {
                        // A guard group that never committed here has read nothing: keep everything.
                        guard = Math.Min(guard, committed.TryGetValue(partition.Id, out var offset) ? offset : -1);
                    }

                    deleted += partition.DeleteExpiredSegments(cutoff, guard);
                }
            }
        }

        Interlocked.Add(ref _segmentsDeleted, deleted);
        return deleted;
    }

    private void EnforceRetentionInBackground()
    {
        try
        {
            EnforceRetention();
            RetentionError = null;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ObjectDisposedException)
        {
            // The next pass tries again; deleting nothing is always safe.
            RetentionError = e;
        }
    }

    internal TopicLog GetTopic(string topic)
    {
        if (_topics.TryGetValue(topic, out var log))
        {
            return log;
        }

        if (Options.ReadOnly)
        {
            LoadTopics(verifyTail: true);
            if (_topics.TryGetValue(topic, out log))
            {
                return log;
            }
        }

        throw new UnknownTopicException(topic);
    }

    internal PartitionLog GetPartition(TopicPartition topicPartition) =>
        GetTopic(topicPartition.Topic).Partition(topicPartition.Partition);

    private void LoadTopics(bool verifyTail)
    {
        if (!Directory.Exists(_topicsPath))
        {
            return;
        }

        lock (_adminLock)
        {
            foreach (var directory in Directory.EnumerateDirectories(_topicsPath))
            {
                var name = Path.GetFileName(directory);
                if (!_topics.ContainsKey(name) && TopicLog.TryOpen(directory, name, Options, verifyTail) is { } topic)
                {
                    _topics[name] = topic;
                }
            }
        }
    }

    private void SyncDirtyPartitions()
    {
        // A pool timer fires again while a slow fsync still runs; a second one would only block another pool thread.
        if (Interlocked.Exchange(ref _syncing, 1) == 1)
        {
            return;
        }

        try
        {
            SyncEachPartition();
        }
        finally
        {
            Volatile.Write(ref _syncing, 0);
        }
    }

    private void SyncEachPartition()
    {
        foreach (var topic in _topics.Values)
        {
            foreach (var partition in topic.Partitions)
            {
                partition.SyncIfDirty();
            }
        }
    }

    private void ThrowIfReadOnly()
    {
        if (Options.ReadOnly)
        {
            throw new InvalidOperationException($"the log at '{Options.RootPath}' was opened read-only");
        }
    }
}
