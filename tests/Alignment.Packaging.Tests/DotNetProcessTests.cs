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
    public async Task SilentRestoreFailure_IsRunAgainWithNormalVerbosity_AndKeepsEveryAttemptsOutput()
    {
        var calls = new List<string[]>();
        var result = await DotNetProcess.RetrySilentRestoreFailuresAsync(
            args =>
            {
                calls.Add(args);
                return Task.FromResult(calls.Count == 1 ? Failed(args, SilentRestoreFailure) : new DotNetProcess.Result("dotnet pack", 0, "packed"));
            },
            ["pack", "a.csproj"],
            _ => TimeSpan.Zero);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, calls.Count);
        Assert.Equal(["pack", "a.csproj"], calls[0]);
        Assert.Equal(["pack", "a.csproj", "-v:n"], calls[1]);
        Assert.Contains("attempt 1 of 3", result.Output, StringComparison.Ordinal);
        Assert.Contains("MSB4181", result.Output, StringComparison.Ordinal);
        Assert.EndsWith("--- attempt 2 of 3 ---" + Environment.NewLine + "packed", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SilentRestoreFailure_ThatRepeats_StopsAfterThreeAttempts()
    {
        int calls = 0;
        var result = await DotNetProcess.RetrySilentRestoreFailuresAsync(
            args => { calls++; return Task.FromResult(Failed(args, SilentRestoreFailure)); },
            ["pack", "a.csproj"],
            _ => TimeSpan.Zero);

        Assert.Equal(DotNetProcess.RestoreAttempts, calls);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("attempt 2 of 3", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("error CS1002: ; expected")]
    [InlineData("error NU1101: Unable to find package Acme.Missing")]
    [InlineData("error MSB4181: The \"Csc\" task returned false but did not log an error.")]
    public async Task AnyOtherFailure_IsReturnedAtOnce(string output)
    {
        int calls = 0;
        var result = await DotNetProcess.RetrySilentRestoreFailuresAsync(
            args => { calls++; return Task.FromResult(Failed(args, output)); },
            ["build"],
            _ => TimeSpan.Zero);

        Assert.Equal(1, calls);
        Assert.Equal(output, result.Output);
    }

    private static DotNetProcess.Result Failed(string[] args, string output) => new("dotnet " + string.Join(' ', args), 1, output);
}
