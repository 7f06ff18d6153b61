using System.Reflection;

namespace Alignment.Cli.Tests;

public sealed class CliVersionTests
{
    [Fact]
    public void Current_IsTheAssemblyVersionWithoutSourceRevision()
    {
        var assemblyVersion = typeof(CliVersion).Assembly.GetName().Version!;

        Assert.DoesNotContain('+', CliVersion.Current);
        Assert.StartsWith($"{assemblyVersion.Major}.{assemblyVersion.Minor}.{assemblyVersion.Build}", CliVersion.Current);
        Assert.Equal(typeof(CliVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0], CliVersion.Current);
    }
}
