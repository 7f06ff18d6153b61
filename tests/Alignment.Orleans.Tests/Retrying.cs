namespace Alignment.Orleans.Tests;

/// <summary>
/// A call made while a silo or the state store is being lost: one that was in flight on the lost silo (or sent before the cluster
/// declared it dead, or while the store was down) fails at the caller and is made again, which is safe because routing, touching
/// and every other call of the tests is idempotent.
/// </summary>
internal static class Retrying
{
    /// <summary>
    /// Makes <paramref name="call"/>, each attempt bounded by <paramref name="timeout"/>, and makes it again after
    /// <paramref name="pause"/> when it fails (a cancellation too, unless <paramref name="cancellationToken"/> asked for it), up to
    /// <paramref name="attempts"/> more times.
    /// </summary>
    public static async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, int attempts, TimeSpan timeout, TimeSpan pause, Action onRetry, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await call(cancellationToken).WaitAsync(timeout, cancellationToken);
            }
            catch (Exception) when (attempt < attempts && !cancellationToken.IsCancellationRequested)
            {
                onRetry();
                await Task.Delay(pause, cancellationToken);
            }
        }
    }
}
