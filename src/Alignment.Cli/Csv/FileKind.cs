using System.Runtime.InteropServices;

namespace Alignment.Cli.Csv;

/// <summary>What kind of file system entry a path names (without following a symbolic link), on Unix.</summary>
internal static partial class FileKind
{
    private const int TypeMask = 0xF000;
    private const int RegularFile = 0x8000;

    /// <summary>
    /// Whether the path names something other than a regular file, a folder or a link: a named pipe, a device or a socket. The
    /// runtime's own <c>lstat</c> wrapper gives the file type, which <see cref="FileSystemInfo"/> does not expose; where it cannot be
    /// asked (Windows), <see langword="false"/>.
    /// </summary>
    /// <param name="path">The full path of an existing entry.</param>
    /// <returns><see langword="true"/> for a pipe, device or socket.</returns>
    public static bool IsSpecial(string path)
    {
        if (OperatingSystem.IsWindows() || Directory.Exists(path))
        {
            return false;
        }

        try
        {
            Status status = default;
            return LStat(path, ref status) == 0 && (status.Mode & TypeMask) is not RegularFile and not 0xA000 and not 0x4000;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_LStat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LStat(string path, ref Status status);

    // The runtime's FileStatus begins with two 32-bit fields, flags then mode (with the S_IFMT type bits); the rest is not read,
    // and the struct is made larger than the runtime's so that its writes stay inside it.
    [StructLayout(LayoutKind.Sequential, Size = 512)]
    private struct Status
    {
        public int Flags;
        public int Mode;
    }
}
