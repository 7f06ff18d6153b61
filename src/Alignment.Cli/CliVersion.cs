using System.Reflection;

namespace Alignment.Cli;

/// <summary>The version of the tool, as <c>alignment --version</c> prints it.</summary>
internal static class CliVersion
{
    /// <summary>The informational version of the tool (for example <c>0.1.0</c>), without source revision metadata.</summary>
    public static string Current { get; } = Read();

    private static string Read()
    {
        string? version = typeof(CliVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(version))
        {
            return typeof(CliVersion).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        }

        int plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 ? version[..plus] : version;
    }
}
