using System.Text.Json.Nodes;

namespace PeatMesh.Sync;

/// <summary>JSON Merge Patch (RFC 7396 §2) over <see cref="JsonObject"/>.</summary>
/// <remarks>Thread-safe (stateless); inputs are not modified.</remarks>
public static class JsonMergePatch
{
    /// <summary>
    /// Returns <paramref name="target"/> with <paramref name="patch"/> applied: a null member removes the
    /// key, an object member merges recursively (into an empty object when the target member is not an
    /// object), any other member replaces the target's value.
    /// </summary>
    public static JsonObject Apply(JsonObject target, JsonObject patch)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(patch);
        var result = (JsonObject)target.DeepClone();
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else if (value is JsonObject patchObject)
            {
                var existing = result[key] as JsonObject ?? [];
                result[key] = Apply(existing, patchObject);
            }
            else
            {
                result[key] = value.DeepClone();
            }
        }

        return result;
    }
}
