using System.Runtime.InteropServices;

namespace PeatMesh.Tests.Discovery.Mdns.Netns;

/// <summary>
/// Runs code on a fresh thread that has entered another network namespace with setns(2). A socket keeps the
/// namespace it was created in, so sockets opened by that code work in the namespace from any thread afterwards:
/// this is how one test process puts several <c>MdnsDiscovery</c> instances into different namespaces.
/// </summary>
internal static class NamespaceThread
{
    private const int CloneNewNet = 0x40000000;

    /// <summary>Runs <paramref name="work"/> inside the network namespace at <paramref name="namespacePath"/> (e.g. /var/run/netns/x).</summary>
    public static T Run<T>(string namespacePath, Func<T> work)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle(namespacePath, FileMode.Open, FileAccess.Read);
                if (SetNamespace((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns({namespacePath}) failed with errno {Marshal.GetLastPInvokeError()}");
                }

                result = work();
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        {
            IsBackground = true,
            Name = "netns " + namespacePath,
        };
        thread.Start();
        thread.Join();
        return failure is null ? result : throw new InvalidOperationException($"In namespace {namespacePath}: {failure.Message}", failure);
    }

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetNamespace(int fd, int nstype);
}
