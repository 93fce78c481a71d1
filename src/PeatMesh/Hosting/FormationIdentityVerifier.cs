using System.Collections.Concurrent;
using PeatMesh.Security;
using PeatMesh.Topology;

namespace PeatMesh.Hosting;

/// <summary>
/// Checks a peer's node id against its identity key by re-deriving the device key from the formation
/// secret and the node id (decision 1: HKDF-SHA256, info = node id). Derived keys are cached per node id.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class FormationIdentityVerifier(FormationSecret secret) : IPeerIdentityVerifier
{
    private const int MaxCached = 4096;
    private readonly ConcurrentDictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    public bool Verify(string nodeId, ReadOnlySpan<byte> identityKey)
    {
        if (!_keys.TryGetValue(nodeId, out var expected))
        {
            using var keypair = secret.DeriveDeviceKeypair(nodeId);
            expected = keypair.PublicKey.ToArray();
            if (_keys.Count < MaxCached)
            {
                _keys[nodeId] = expected;
            }
        }

        return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(expected, identityKey);
    }
}
