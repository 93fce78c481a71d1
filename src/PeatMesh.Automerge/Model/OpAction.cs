namespace PeatMesh.Automerge.Model;

/// <summary>Op actions, numbered as the binary format's action column (Automerge 3.x rejects values above 7).</summary>
public enum OpAction : byte
{
    /// <summary>Create a map object.</summary>
    MakeMap = 0,

    /// <summary>Set a scalar value (or insert one into a sequence).</summary>
    Set = 1,

    /// <summary>Create a list object.</summary>
    MakeList = 2,

    /// <summary>Delete the values named by pred.</summary>
    Delete = 3,

    /// <summary>Create a text object.</summary>
    MakeText = 4,

    /// <summary>Increment the counters named by pred by an int/uint value.</summary>
    Increment = 5,

    /// <summary>Create a table object (legacy; behaves as a map).</summary>
    MakeTable = 6,

    /// <summary>A mark begin (with a name) or end (without) in a text object.</summary>
    Mark = 7,
}
