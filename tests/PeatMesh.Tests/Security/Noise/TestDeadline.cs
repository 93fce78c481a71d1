namespace PeatMesh.Tests.Security.Noise;

/// <summary>Waits for a task with a deadline; a timeout names the step that did not finish.</summary>
internal static class TestDeadline
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(15);

    public static async Task<T> Within<T>(this Task<T> task, string step, TimeSpan? timeout = null)
    {
        try
        {
            return await task.WaitAsync(timeout ?? Default);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Step '{step}' did not finish within {(timeout ?? Default).TotalSeconds} s.", ex);
        }
    }

    public static async Task Within(this Task task, string step, TimeSpan? timeout = null)
    {
        try
        {
            await task.WaitAsync(timeout ?? Default);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Step '{step}' did not finish within {(timeout ?? Default).TotalSeconds} s.", ex);
        }
    }

    public static Task<T> Within<T>(this ValueTask<T> task, string step, TimeSpan? timeout = null) => task.AsTask().Within(step, timeout);

    public static Task Within(this ValueTask task, string step, TimeSpan? timeout = null) => task.AsTask().Within(step, timeout);
}
