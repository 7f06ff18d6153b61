namespace Alignment.Packaging.Tests;

/// <summary>
/// What NativeAOT needs on Linux besides the .NET SDK: clang (the linker driver) and zlib's development files. eng/test.sh installs
/// both (apt-get, when missing and running as root) before the tests run; <see cref="EnsureInstalledAsync"/> does the same when a
/// test runs on its own, as the PostgreSQL fixture installs its server.
/// </summary>
internal static class NativeToolchain
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(15);

    /// <summary>Whether this process runs as root, and so can install packages.</summary>
    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>Whether clang is on the PATH.</summary>
    public static bool HasClang => OnPath("clang");

    /// <summary>Whether zlib's development files (the header and the linker's libz.so or libz.a) are installed.</summary>
    public static bool HasZlib =>
        File.Exists("/usr/include/zlib.h")
        && ((string[])["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu", "/lib64"])
            .Any(dir => File.Exists(Path.Combine(dir, "libz.so")) || File.Exists(Path.Combine(dir, "libz.a")));

    /// <summary>Why a NativeAOT test cannot run here, or <see langword="null"/> when it can (the toolchain is there, or can be installed).</summary>
    public static string? MissingReason =>
        !OperatingSystem.IsLinux() ? "The NativeAOT test runs on Linux only."
        : !HasClang && !IsRoot ? "NativeAOT needs clang and zlib1g-dev, clang is not on the PATH and this user is not root, so the test cannot install them: run 'apt-get install clang zlib1g-dev' (eng/test.sh does it when run as root)."
        : null;

    /// <summary>Installs clang and zlib1g-dev with apt-get when either is missing (only as root; otherwise the publish reports what is missing).</summary>
    public static async Task EnsureInstalledAsync()
    {
        if ((HasClang && HasZlib) || !IsRoot)
        {
            return;
        }

        (await DotNetProcess.RunFileAsync("bash", Path.GetTempPath(), InstallTimeout, "-c",
            "apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq clang zlib1g-dev")).EnsureSuccess();
        Assert.True(HasClang, "clang was installed but is not on the PATH.");
    }

    private static bool OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, name)));
}
