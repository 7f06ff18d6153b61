namespace Alignment.Packaging.Tests;

/// <summary>
/// A fact that publishes with NativeAOT. It runs wherever the native toolchain is installed or can be installed (as root), and is
/// skipped, saying why, only when clang is missing and this user cannot install it (<see cref="NativeToolchain.MissingReason"/>).
/// </summary>
public sealed class NativeAotFactAttribute : FactAttribute
{
    public NativeAotFactAttribute()
    {
        if (NativeToolchain.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }
}
