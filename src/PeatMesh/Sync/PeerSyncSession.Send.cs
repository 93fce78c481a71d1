using System.Buffers;
using PeatMesh.Storage;
using PeatMesh.Sync.Wire;
using PeatMesh.Transport;

namespace PeatMesh.Sync;

internal sealed partial class PeerSyncSession
{
    /// <summary>Tombstone batches first, then dirty documents packed into messages of about <see cref="SyncOptions.TargetMessageBytes"/>.</summary>
    private async Task SendLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(_options.TargetMessageBytes * 2);
        while (Connection.IsOpen)
        {
            buffer.Clear();
            var tombstones = TakeTombstones(_options.TombstoneBatchSize);
            if (tombstones.Count > 0)
            {
                SyncFrame.Write(buffer, new SyncFrame("tombstones:batch", SyncMessageType.TombstoneBatch, TombstoneCodec.EncodeBatch(tombstones)));
            }

            while (buffer.WrittenCount < _options.TargetMessageBytes && TryTakeDirty(out var key))
            {
                var payload = await GenerateAsync(key).ConfigureAwait(false);
                if (payload is not null)
                {
                    SyncFrame.Write(buffer, new SyncFrame(key.ToString(), SyncMessageType.DeltaSync, payload));
                }
            }

            if (buffer.WrittenCount > 0)
            {
                try
                {
                    await _channel.SendAsync(buffer.WrittenMemory).ConfigureAwait(false);
                }
                catch (MeshTransportException) when (!Connection.IsOpen)
                {
                    return;
                }

                continue;
            }

            if (!await WaitForWorkAsync().ConfigureAwait(false))
            {
                return;
            }
        }
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
}
