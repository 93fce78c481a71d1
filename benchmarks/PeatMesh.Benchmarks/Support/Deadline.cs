using System.Diagnostics;

namespace PeatMesh.Benchmarks.Support;

/// <summary>Every wait in the harness has a deadline and a timeout message naming the step.</summary>
public static class Deadline
{
    /// <summary>Awaits <paramref name="task"/> for at most <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">Not finished in time; the message names <paramref name="step"/>.</exception>
    public static async Task<T> WithinAsync<T>(this Task<T> task, TimeSpan timeout, string step, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            return await task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for: {step}", e);
        }
    }

    /// <summary>Awaits <paramref name="task"/> for at most <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">Not finished in time; the message names <paramref name="step"/>.</exception>
    public static async Task WithinAsync(this Task task, TimeSpan timeout, string step, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            await task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for: {step}", e);
        }
    }

    /// <summary>
    /// Evaluates <paramref name="condition"/> every <paramref name="interval"/> (measured from the start of one evaluation
    /// to the next; a slow evaluation is followed immediately by the next) until it returns true.
    /// Exceptions from the condition count as "not yet" and the last one is reported on timeout.
    /// </summary>
    /// <exception cref="TimeoutException">The condition did not hold within <paramref name="timeout"/>; the message names <paramref name="step"/>.</exception>
    public static async Task PollAsync(Func<CancellationToken, Task<bool>> condition, TimeSpan interval, TimeSpan timeout, string step,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var watch = Stopwatch.StartNew();
        Exception? last = null;
        while (true)
        {
            var started = watch.Elapsed;
            try
            {
                if (await condition(cancellationToken))
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException
                                          || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                last = e;
            }

            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for: {step}"
                    + (last is null ? string.Empty : $" (last error: {last.GetType().Name}: {last.Message})"), last);
            }

            var pause = interval - (watch.Elapsed - started);
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause, cancellationToken);
            }
        }
    }
}
