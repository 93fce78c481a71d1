namespace PeatMesh.Automerge.Model;

/// <summary>
/// Supplies the ops of changes that were rebuilt (and hashed) without materialising <see cref="Op"/> objects, such as
/// the changes of a loaded document chunk; <see cref="Change.Ops"/> asks for them on first use.
/// </summary>
/// <remarks>Implementations are immutable once the changes exist, so they are thread-safe for reading.</remarks>
internal interface IChangeOpSource
{
    /// <summary>The ops of change <paramref name="index"/> in counter order.</summary>
    Op[] MaterializeOps(int index);
}
