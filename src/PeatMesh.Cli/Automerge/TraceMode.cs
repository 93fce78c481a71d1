namespace PeatMesh.Cli.Automerge;

/// <summary>How <c>bench-trace</c> groups the splices of a trace into changes.</summary>
internal enum TraceMode
{
    /// <summary>Every splice in one transaction, one change (as upstream <c>edit-trace/automerge-js.js</c>).</summary>
    OneChange,

    /// <summary>One transaction, and so one change, per single-character splice.</summary>
    PerEdit,
}
