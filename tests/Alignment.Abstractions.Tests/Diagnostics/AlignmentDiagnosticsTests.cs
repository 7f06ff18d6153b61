using System.Diagnostics;
using Alignment.Diagnostics;

namespace Alignment.Abstractions.Tests.Diagnostics;

public sealed class AlignmentDiagnosticsTests
{
    [Fact]
    public void Names_AreTheDocumentedOnes()
    {
        Assert.Equal("Alignment", AlignmentDiagnostics.MeterName);
        Assert.Equal("Alignment", AlignmentDiagnostics.ActivitySourceName);
        Assert.Equal(AlignmentDiagnostics.ActivitySourceName, AlignmentDiagnostics.ActivitySource.Name);
        Assert.Same(AlignmentDiagnostics.ActivitySource, AlignmentDiagnostics.ActivitySource);
    }

    [Fact]
    public void ActivitySource_ListenerForTheName_ReceivesActivities()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == AlignmentDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
        };
        ActivitySource.AddActivityListener(listener);

        using var activity = AlignmentDiagnostics.ActivitySource.StartActivity("test.operation");

        Assert.NotNull(activity);
        Assert.Equal("test.operation", activity.OperationName);
    }
}
