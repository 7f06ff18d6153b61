using System.Collections.Immutable;
using Alignment.Activities;

namespace Alignment.Cli.Demo;

/// <summary>Activities of one lead that happen together (a website visit, a booth conversation), delivered to the pipeline at once.</summary>
/// <param name="At">When the session ends (every activity is at or before it).</param>
/// <param name="Activities">The activities.</param>
internal sealed record SampleSession(DateTimeOffset At, ImmutableArray<LeadActivity> Activities);
