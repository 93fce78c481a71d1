using PeatMesh.Testing.Network;

namespace PeatMesh.Tests.Discovery.Mdns.Netns;

/// <summary>
/// A fact that needs network namespaces plus avahi-daemon, avahi-utils, dbus and util-linux (unshare, nsenter);
/// elsewhere it is skipped with the reason. <c>.ci/run</c> installs the packages.
/// </summary>
public sealed class AvahiFactAttribute : FactAttribute
{
    private static readonly string[] Tools = ["avahi-daemon", "avahi-browse", "avahi-publish", "dbus-daemon", "unshare", "nsenter"];

    public AvahiFactAttribute()
    {
        if (HostTools.NetnsUnavailableReason() is { } reason)
        {
            Skip = "Needs network namespaces: " + reason + ".";
        }
        else if (Tools.FirstOrDefault(t => HostTools.Find(t) is null) is { } missing)
        {
            Skip = $"Needs '{missing}': apt-get install -y --no-install-recommends avahi-daemon avahi-utils dbus (as .ci/run does).";
        }
    }
}
