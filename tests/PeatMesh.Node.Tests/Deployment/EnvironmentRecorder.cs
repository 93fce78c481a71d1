using System.Collections;

namespace PeatMesh.Node.Tests.Deployment;

/// <summary>An environment dictionary that records every variable name the node's configuration reads.</summary>
internal sealed class EnvironmentRecorder : Hashtable
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public EnvironmentRecorder(IEnumerable<KeyValuePair<string, string>> variables)
    {
        foreach (var (name, value) in variables)
        {
            base[name] = value;
        }
    }

    /// <summary>Names looked up so far, whether or not they were set.</summary>
    public IReadOnlySet<string> Read => _read;

    public override object? this[object key]
    {
        get
        {
            if (key is string name)
            {
                _read.Add(name);
            }

            return base[key];
        }
        set => base[key] = value;
    }
}
