namespace PeatMesh.Security.Noise;

/// <summary>A token of a Noise message pattern (rev 34 §7.1, §9).</summary>
public enum NoiseToken
{
    /// <summary><c>e</c>: the sender's ephemeral public key, sent in clear.</summary>
    E = 1,

    /// <summary><c>s</c>: the sender's static public key, encrypted once a key exists.</summary>
    S = 2,

    /// <summary><c>ee</c>: DH between both ephemeral keys.</summary>
    EE = 3,

    /// <summary><c>es</c>: DH between the initiator's ephemeral and the responder's static key.</summary>
    ES = 4,

    /// <summary><c>se</c>: DH between the initiator's static and the responder's ephemeral key.</summary>
    SE = 5,

    /// <summary><c>ss</c>: DH between both static keys.</summary>
    SS = 6,

    /// <summary><c>psk</c>: mixes the next pre-shared key with MixKeyAndHash (rev 34 §9.2).</summary>
    Psk = 7,
}
