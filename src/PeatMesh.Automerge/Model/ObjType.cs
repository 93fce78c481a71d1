namespace PeatMesh.Automerge.Model;

/// <summary>
/// The type of an Automerge object, as created by the make ops of the binary format
/// (makeMap = 0, makeList = 2, makeText = 4, makeTable = 6; Automerge data model §1).
/// </summary>
public enum ObjType : byte
{
    /// <summary>A map from string keys to values (the root is a map).</summary>
    Map = 0,

    /// <summary>A list of values (RGA sequence).</summary>
    List = 2,

    /// <summary>A text object: a sequence of characters (and zero-width marks), indexed in UTF-16 code units like Automerge JS unless <see cref="AutomergeDocument.TextEncoding"/> says otherwise.</summary>
    Text = 4,

    /// <summary>A legacy table object; behaves as a map.</summary>
    Table = 6,
}
