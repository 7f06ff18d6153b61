namespace Alignment.Packaging.Tests;

/// <summary>The retry of a <c>dotnet</c> command whose NuGet restore failed without logging an error.</summary>
public sealed class DotNetProcessTests
{
    private const string SilentRestoreFailure = """
          Determining projects to restore...
          Failed to restore /repo/src/Alignment.Abstractions/Alignment.Abstractions.csproj (in 125 ms).
        /usr/share/dotnet/sdk/10.0.401/NuGet.targets(198,5): error MSB4181: The "RestoreTask" task returned false but did not log an error. [/repo/src/Alignment.Abstractions/Alignment.Abstractions.csproj]
        """;

    [Fact]
    public async Task SilentRestoreFailure_IsRunAgainWithTheSameArguments_AndKeepsTheEarlierOutputApart()
    {
        int calls = 0;
        var result = await DotNetProcess.RetrySilentRestoreFailuresAsync(
            () => Task.FromResult(++calls == 1 ? Failed(SilentRestoreFailure) : new DotNetProcess.Result("dotnet pack a.csproj", 0, "packed")),
            ["pack", "a.csproj"],
            _ => TimeSpan.Zero);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, calls);
        Assert.Equal("packed", result.Output);
        Assert.Contains("attempt 1 of 3", result.EarlierAttempts, StringComparison.Ordinal);
        Assert.Contains("MSB4181", result.EarlierAttempts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SilentRestoreFailure_ThatRepeats_StopsAfterThreeAttempts_AndFailsWithEveryAttemptsOutput()
    {
        int calls = 0;
        var result = await DotNetProcess.RetrySilentRestoreFailuresAsync(
            () => { calls++; return Task.FromResult(Failed(SilentRestoreFailure)); },
            ["build", "a.csproj"],
            _ => TimeSpan.Zero);

        Assert.Equal(DotNetProcess.RestoreAttempts, calls);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("attempt 2 of 3", result.EarlierAttempts, StringComparison.Ordinal);
        var failure = Assert.ThrowsAny<Exception>(() => result.EnsureSuccess());
        Assert.Contains("attempt 1 of 3", failure.Message, StringComparison.Ordinal);
        Assert.Contains("attempt 3 of 3", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("build", "error CS1002: ; expected")]
    [InlineData("restore", "error NU1101: Unable to find package Acme.Missing")]
    [InlineData("pack", "error MSB4181: The \"Csc\" task returned false but did not log an error.")]
    [InlineData("/tmp/app/Consumer.dll", SilentRestoreFailure)]
    [InlineData("new", SilentRestoreFailure)]
    public async Task AnyOtherFailure_OrCommand_IsReturnedAtOnce(string verb, string output)
    {
        int calls = 0;
        var result = await DotNetProcess.RetrySilentRestoreFailuresAsync(
            () => { calls++; return Task.FromResult(Failed(output)); },
            [verb],
            _ => TimeSpan.Zero);

        Assert.Equal(1, calls);
        Assert.Equal(output, result.Output);
        Assert.Empty(result.EarlierAttempts);
    }

    private static DotNetProcess.Result Failed(string output) => new("dotnet", 1, output);
}
