namespace Alignment.Lifecycle;

/// <summary>Who made a lifecycle transition.</summary>
public enum LifecycleActor
{
    /// <summary>Marketing (a person or a marketing automation policy).</summary>
    Marketing = 0,

    /// <summary>Sales (a rep or sales manager).</summary>
    Sales = 1,

    /// <summary>Alignment itself (a score crossing a threshold, an SLA breach).</summary>
    System = 2,
}
