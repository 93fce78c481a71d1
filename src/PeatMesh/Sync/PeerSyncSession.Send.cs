using System.Buffers;
using System.Diagnostics;
using PeatMesh.Storage;
using PeatMesh.Sync.Wire;
using PeatMesh.Transport;

namespace PeatMesh.Sync;

internal sealed partial class PeerSyncSession
{
    /// <summary>
    /// Tombstone batches first, then dirty documents packed into messages of about <see cref="SyncOptions.TargetMessageBytes"/>.
    /// While the node traces, each message's documents are sent in send-round spans, one per trace context they were
    /// marked under, and each document's frame is preceded by a TraceContext frame naming its span (if the peer accepts them).
    /// </summary>
    private async Task SendLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(_options.TargetMessageBytes * 2);
        var rounds = new SendRounds(this);
        while (Connection.IsOpen)
        {
            buffer.Clear();
            var tombstones = TakeTombstones(_options.TombstoneBatchSize);
            if (tombstones.Count > 0)
            {
                WriteFrame(buffer, new SyncFrame("tombstones:batch", SyncMessageType.TombstoneBatch, TombstoneCodec.EncodeBatch(tombstones)));
            }

            while (buffer.WrittenCount < _options.TargetMessageBytes && TryTakeDirty(out var key, out var traceParent))
            {
                var payload = await GenerateAsync(key).ConfigureAwait(false);
                if (payload is null)
                {
                    continue;
                }

                var docKey = key.ToString();
                if (rounds.ContextFor(traceParent) is { } context && _peerAcceptsTraceContext)
                {
                    WriteFrame(buffer, new SyncFrame(docKey, SyncMessageType.TraceContext, TraceContextCodec.Encode(context)));
                }

                WriteFrame(buffer, new SyncFrame(docKey, SyncMessageType.DeltaSync, payload));
            }

            if (buffer.WrittenCount > 0)
            {
                try
                {
                    await _channel.SendAsync(buffer.WrittenMemory).ConfigureAwait(false);
                    rounds.Complete(buffer.WrittenCount, error: null);
                }
                catch (MeshTransportException e) when (!Connection.IsOpen)
                {
                    rounds.Complete(buffer.WrittenCount, e.Error.ToString());
                    return;
                }

                continue;
            }

            rounds.Complete(0, error: null);
            if (!await WaitForWorkAsync().ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private void WriteFrame(ArrayBufferWriter<byte> buffer, SyncFrame frame)
    {
        SyncFrame.Write(buffer, frame);
        _metrics?.SyncFrame("out", FrameTypeLabel(frame.Type));
    }

    /// <summary>Waits until something is marked dirty; false once the connection has closed.</summary>
    private async Task<bool> WaitForWorkAsync()
    {
        var wake = _wake.Reader.WaitToReadAsync().AsTask();
        if (await Task.WhenAny(wake, Connection.Completion).ConfigureAwait(false) != wake || !await wake.ConfigureAwait(false))
        {
            return false;
        }

        _wake.Reader.TryRead(out _);
        return true;
    }

    /// <summary>The next Automerge sync message for <paramref name="key"/>, or null when there is nothing to say.</summary>
    private Task<byte[]?> GenerateAsync(DocumentKey key)
    {
        if (_documents.GetTombstone(key) is not null)
        {
            return Task.FromResult<byte[]?>(null);
        }

        return _documents.WithDocumentAsync(key, loaded =>
        {
            var message = loaded.Document.GenerateSyncMessage(StateFor(key));
            return Task.FromResult(message?.Encode());
        }, CancellationToken.None);
    }

    /// <summary>
    /// The send-round spans of the message being built: one per trace context its documents were marked under (a
    /// document marked under no activity goes into a root span). Spans are started when their first document is
    /// written and never made current, so one round's span cannot become another's parent.
    /// </summary>
    private sealed class SendRounds(PeerSyncSession session)
    {
        private readonly Dictionary<ActivityContext, (Activity? Span, int Documents)> _open = [];

        /// <summary>
        /// The context to send before a document marked under <paramref name="parent"/>: its round's span, or — when
        /// no span is recorded here — the parent itself so the trace still continues; null when the node does not trace.
        /// </summary>
        public ActivityContext? ContextFor(ActivityContext parent)
        {
            if (!_open.TryGetValue(parent, out var round))
            {
                if (!Diagnostics.MeshTelemetry.Source.HasListeners())
                {
                    return null;
                }

                round = (session.StartDetached(Diagnostics.MeshTelemetry.SyncSend, ActivityKind.Producer, parent), 0);
            }

            _open[parent] = (round.Span, round.Documents + 1);
            if (round.Span is { } span)
            {
                return span.Context;
            }

            return parent == default ? null : parent;
        }

        /// <summary>Ends the message's spans: tags documents and bytes, marks an error, stops them.</summary>
        public void Complete(int bytes, string? error)
        {
            foreach (var (span, documents) in _open.Values)
            {
                if (span is null)
                {
                    continue;
                }

                span.SetTag("peat.sync.documents", documents);
                span.SetTag("peat.sync.message_bytes", bytes);
                if (error is not null)
                {
                    Diagnostics.MeshTelemetry.SetError(span, error, "the connection closed before the message was queued");
                }

                var previous = Activity.Current;
                span.Stop();
                Activity.Current = previous;
            }

            _open.Clear();
        }
    }
}
