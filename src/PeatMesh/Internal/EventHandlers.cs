namespace PeatMesh.Internal;

/// <summary>Raises events so that one failing handler neither stops the others nor reaches the raiser.</summary>
internal static class EventHandlers
{
    /// <summary>Invokes every handler of <paramref name="handler"/>; a handler's exception goes to <paramref name="onError"/>.</summary>
    public static void Raise<T>(Action<T>? handler, T argument, Action<Exception> onError)
    {
        if (handler is null)
        {
            return;
        }

        foreach (var single in handler.GetInvocationList().Cast<Action<T>>())
        {
            try
            {
                single(argument);
            }
            catch (Exception e)
            {
                onError(e);
            }
        }
    }

    /// <summary>Invokes every handler of a two-argument event the same way.</summary>
    public static void Raise<T1, T2>(Action<T1, T2>? handler, T1 first, T2 second, Action<Exception> onError)
    {
        if (handler is null)
        {
            return;
        }

        foreach (var single in handler.GetInvocationList().Cast<Action<T1, T2>>())
        {
            try
            {
                single(first, second);
            }
            catch (Exception e)
            {
                onError(e);
            }
        }
    }
}
