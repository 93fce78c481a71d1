using System.Buffers;
using System.Diagnostics;
using PeatMesh.Automerge;
using PeatMesh.Automerge.Sync;
using PeatMesh.Diagnostics;
using PeatMesh.Storage;
using PeatMesh.Sync.Wire;
using PeatMesh.Transport;

namespace PeatMesh.Sync;

internal sealed partial class PeerSyncSession
{
    /// <summary>
    /// Applies each incoming message (one or more sync frames). Frames for different documents are
    /// processed concurrently, so their durable writes share group commits; frames for one document keep
    /// their order. Malformed framing from the peer closes the connection; a malformed Automerge message
    /// only drops that frame. A TraceContext frame gives the trace parent of the frames for its doc_key that follow in
    /// the same message; it is ignored when malformed or when this node does not trace.
    /// </summary>
    private async Task ReceiveLoopAsync()
    {
        var limits = new SyncFrameLimits { MaxPayloadBytes = _options.MaxFramePayloadBytes };
        await foreach (var message in _channel.Incoming.ReadAllAsync().ConfigureAwait(false))
        {
            var frames = new List<SyncFrame>();
            Dictionary<string, ActivityContext>? traceParents = null;
            var sequence = new ReadOnlySequence<byte>(message);
            try
            {
                while (!sequence.IsEmpty)
                {
                    var status = SyncFrame.TryRead(ref sequence, limits, out var frame, out var error);
                    if (status != OperationStatus.Done)
                    {
                        throw new SyncWireException(status == OperationStatus.NeedMoreData ? SyncWireError.Truncated : error,
                            status == OperationStatus.NeedMoreData ? "a sync message ends inside a frame" : "invalid sync frame: " + error);
                    }

                    _metrics?.SyncFrame("in", FrameTypeLabel(frame.Type));
                    if (frame.Type == SyncMessageType.TraceContext)
                    {
                        if (TraceContextCodec.TryDecode(frame.Payload.Span, out var context))
                        {
                            (traceParents ??= new(StringComparer.Ordinal))[frame.DocKey] = context;
                        }
                        else
                        {
                            SyncLog.BadTraceContext(_logger, PeerNodeId);
                        }

                        continue;
                    }

                    if (frame.Type == SyncMessageType.SyncBatch)
                    {
                        // The reference's persistent channel wraps deltas in single-entry batches: unpack them.
                        if (!SyncBatchCodec.TryDecode(frame.Payload, limits, out var batch, out var batchError))
                        {
                            throw new SyncWireException(batchError, "invalid sync batch: " + batchError);
                        }

                        frames.AddRange(batch.Entries.Where(e => e.Type is SyncMessageType.DeltaSync or SyncMessageType.StateSnapshot
                                or SyncMessageType.Tombstone or SyncMessageType.TombstoneBatch)
                            .Select(e => new SyncFrame(e.DocKey, e.Type, e.Payload)));
                        continue;
                    }

                    frames.Add(frame);
                }
            }
            catch (SyncWireException e)
            {
                SyncLog.MalformedFrame(_logger, PeerNodeId, e.Message);
                await Connection.CloseAsync("malformed sync frame").ConfigureAwait(false);
                return;
            }

            var work = new List<Task>();
            var documents = frames.Where(f => f.Type is SyncMessageType.DeltaSync or SyncMessageType.StateSnapshot).GroupBy(f => f.DocKey);
            if (MeshTelemetry.Source.HasListeners())
            {
                foreach (var traced in documents.GroupBy(d => traceParents?.GetValueOrDefault(d.Key) ?? default))
                {
                    work.Add(ApplyTracedAsync(traced.Key, [.. traced]));
                }
            }
            else
            {
                foreach (var group in documents)
                {
                    work.Add(ApplyDocumentFramesAsync(group.Key, [.. group]));
                }
            }

            foreach (var frame in frames.Where(f => f.Type is not (SyncMessageType.DeltaSync or SyncMessageType.StateSnapshot)))
            {
                work.Add(ApplyControlFrameAsync(frame));
            }

            await Task.WhenAll(work).ConfigureAwait(false);
        }
    }

    private async Task ApplyDocumentFramesAsync(string docKey, IReadOnlyList<SyncFrame> frames)
    {
        if (!DocumentKey.TryParse(docKey, out var key))
        {
            SyncLog.MalformedFrame(_logger, PeerNodeId, "invalid document key in a sync frame");
            return;
        }

        if (_documents.GetTombstone(key) is { } tombstone)
        {
            // The peer still has a document we deleted: tell it.
            EnqueueTombstone(tombstone);
            return;
        }

        await _documents.WithDocumentAsync(key, async loaded =>
        {
            var headsBefore = Activity.Current is null ? null : loaded.Document.Heads;
            foreach (var frame in frames)
            {
                try
                {
                    if (frame.Type == SyncMessageType.DeltaSync)
                    {
                        loaded.Document.ReceiveSyncMessage(StateFor(key), SyncMessage.Decode(frame.Payload.Span));
                    }
                    else
                    {
                        loaded.Document.Merge(AutomergeDocument.Load(frame.Payload.Span));
                    }
                }
                catch (AutomergeFormatException e)
                {
                    SyncLog.RejectedSyncMessage(_logger, key, PeerNodeId, e.Message);
                }
            }

            await _documents.PersistAsync(loaded, CancellationToken.None, PeerNodeId).ConfigureAwait(false);
            if (headsBefore is not null && !headsBefore.SequenceEqual(loaded.Document.Heads))
            {
                RecordDocumentUpdated(docKey);
            }

            return true;
        }, CancellationToken.None).ConfigureAwait(false);
        MarkDirty(key);
    }

    private async Task ApplyControlFrameAsync(SyncFrame frame)
    {
        try
        {
            switch (frame.Type)
            {
                case SyncMessageType.Tombstone:
                    await ApplyTombstoneAsync(TombstoneCodec.Decode(frame.Payload.Span)).ConfigureAwait(false);
                    break;
                case SyncMessageType.TombstoneBatch:
                    foreach (var tombstone in TombstoneCodec.DecodeBatch(frame.Payload.Span))
                    {
                        await ApplyTombstoneAsync(tombstone).ConfigureAwait(false);
                    }

                    break;
                default:
                    SyncLog.IgnoredFrame(_logger, (byte)frame.Type, PeerNodeId);
                    break;
            }
        }
        catch (SyncWireException e)
        {
            SyncLog.MalformedFrame(_logger, PeerNodeId, e.Message);
        }
    }

    private async Task ApplyTombstoneAsync(Tombstone tombstone)
    {
        await _documents.ApplyRemoteTombstoneAsync(tombstone, PeerNodeId, CancellationToken.None).ConfigureAwait(false);
        _states.TryRemove(tombstone.Key, out _);
    }
}
