namespace PeatMesh.Security;

/// <summary>Outcome of the formation challenge/response (reference digest §2.3; wire byte values).</summary>
public enum FormationAuthResult : byte
{
    /// <summary>The response was wrong or the formation differs (encoded <c>0x00</c>; any byte but 0x01 decodes to this).</summary>
    Rejected = 0x00,

    /// <summary>The peer proved knowledge of the formation secret (encoded <c>0x01</c>).</summary>
    Accepted = 0x01,
}
