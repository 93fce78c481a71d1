using System.Diagnostics;

namespace PeatMesh.TestSupport;

/// <summary>Polling with a deadline: the only way tests wait for asynchronous outcomes.</summary>
internal static class Wait
{
    /// <summary>Polls <paramref name="condition"/> every 20 ms until it holds or <paramref name="timeout"/> passes.</summary>
    /// <exception cref="TimeoutException">The condition did not hold in time; the message names <paramref name="step"/>.</exception>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string step)
    {
        await UntilAsync(() => Task.FromResult(condition()), timeout, step);
    }

    /// <summary>Polls an asynchronous <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes.</summary>
    /// <exception cref="TimeoutException">The condition did not hold in time; the message names <paramref name="step"/>.</exception>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string step)
    {
        var watch = Stopwatch.StartNew();
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (e is not TimeoutException)
            {
                last = e;
            }

            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for: {step}"
                    + (last is null ? string.Empty : $" (last error: {last.GetType().Name}: {last.Message})"), last);
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Awaits <paramref name="task"/> for at most <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">The task did not finish in time; the message names <paramref name="step"/>.</exception>
    public static async Task<T> ForAsync<T>(Task<T> task, TimeSpan timeout, string step)
    {
        try
        {
            return await task.WaitAsync(timeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for: {step}", e);
        }
    }

    /// <summary>Awaits <paramref name="task"/> for at most <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">The task did not finish in time; the message names <paramref name="step"/>.</exception>
    public static async Task ForAsync(Task task, TimeSpan timeout, string step)
    {
        try
        {
            await task.WaitAsync(timeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for: {step}", e);
        }
    }
}
