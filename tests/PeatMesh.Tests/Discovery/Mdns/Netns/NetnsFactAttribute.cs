using PeatMesh.Testing.Network;

namespace PeatMesh.Tests.Discovery.Mdns.Netns;

/// <summary>A fact that needs root and network namespaces; elsewhere it is skipped with the reason (CI runs as root).</summary>
public sealed class NetnsFactAttribute : FactAttribute
{
    public NetnsFactAttribute()
    {
        if (HostTools.NetnsUnavailableReason() is { } reason)
        {
            Skip = "Needs network namespaces: " + reason + ".";
        }
    }
}
