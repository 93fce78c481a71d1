using System.Reflection;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Tests.Interop;

/// <summary>
/// Writes marks through <c>Transaction.Mark(ObjId, int, int, string, ScalarValue, MarkExpand)</c> when the engine has it.
/// The interop tests were written while the marks write API was being added on another branch; looking the method up at
/// run time lets them include mark ops as soon as it exists, without a compile-time dependency. Replace this with direct
/// calls once the marks API is on main.
/// </summary>
internal static class TextMarks
{
    private static readonly MethodInfo? MarkMethod = typeof(Transaction).GetMethods()
        .FirstOrDefault(m => m.Name == "Mark" && m.GetParameters().Length == 6 && m.GetParameters()[5].ParameterType.IsEnum);

    /// <summary>Whether <c>Transaction.Mark</c> exists.</summary>
    public static bool IsSupported => MarkMethod is not null;

    /// <summary>Marks <c>[start, end)</c>; <paramref name="expand"/> is Automerge JS's spelling ("before", "after", "both", "none").</summary>
    public static void Mark(Transaction tx, ObjId text, int start, int end, string name, ScalarValue value, string expand)
    {
        var method = MarkMethod ?? throw new NotSupportedException("Transaction.Mark is not available in this build.");
        var expandValue = Enum.Parse(method.GetParameters()[5].ParameterType, expand, ignoreCase: true);
        try
        {
            method.Invoke(tx, [text, start, end, name, value, expandValue]);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}
