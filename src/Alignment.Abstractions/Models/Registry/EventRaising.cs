namespace Alignment.Models.Registry;

/// <summary>Raises an event to each subscriber on its own: one that throws neither stops the others nor fails the caller.</summary>
internal static class EventRaising
{
    public static void RaiseEach<TArgs>(EventHandler<TArgs>? handlers, object sender, TArgs args)
    {
        if (handlers is null)
        {
            return;
        }

        foreach (EventHandler<TArgs> handler in handlers.GetInvocationList())
        {
            try
            {
                handler(sender, args);
            }
#pragma warning disable CA1031 // A subscriber's failure must not undo, or look like a failure of, the change already made.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }
}
