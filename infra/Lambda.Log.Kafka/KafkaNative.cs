using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace Lambda.Log.Kafka;

/// <summary>
/// Loads the native librdkafka of the librdkafka.redist package once, and refuses any other version.
/// </summary>
/// <remarks>
/// The redist's generic linux-x64 <c>librdkafka.so</c> links <c>libsasl2.so.3</c> (Red Hat's name),
/// which Debian 12 lacks; when it fails to load, .NET's probing silently falls back to any
/// <c>librdkafka.so</c> of the system, and an old one fails only at the first Consume
/// (<c>EntryPointNotFoundException</c>). The redist's <c>centos8-librdkafka.so</c> (no GSSAPI) needs
/// only glibc, so a resolver on the Confluent.Kafka assembly binds its <c>[DllImport("librdkafka")]</c>
/// to that file. The version check catches whatever else got loaded (a host's own resolver, a
/// published layout without the file).
/// </remarks>
public static class KafkaNative
{
    private const string LinuxX64Build = "centos8-librdkafka.so";
    private static readonly Lock Gate = new();
    private static bool _checked;

    /// <summary>The librdkafka version this build ships and accepts (KafkaClientVersion in Directory.Packages.props).</summary>
    public static string ExpectedVersion { get; } = typeof(KafkaNative).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "LibrdkafkaVersion").Value!;

    /// <summary>The file the resolver bound librdkafka to, or null when the runtime's own probing chose.</summary>
    public static string? LibraryPath { get; private set; }

    /// <summary>librdkafka's version string, e.g. "2.16.0"; loads the library first.</summary>
    public static string Version
    {
        get
        {
            EnsureLoaded();
            return Library.VersionString;
        }
    }

    /// <summary>
    /// Loads librdkafka if it is not loaded yet and checks its version. Throws
    /// <see cref="InvalidOperationException"/> with a one-line reason if it cannot be loaded or is
    /// not <see cref="ExpectedVersion"/>.
    /// </summary>
    public static void EnsureLoaded()
    {
        if (Volatile.Read(ref _checked))
        {
            return;
        }

        lock (Gate)
        {
            if (_checked)
            {
                return;
            }

            try
            {
                NativeLibrary.SetDllImportResolver(typeof(Library).Assembly, Resolve);
            }
            catch (InvalidOperationException)
            {
                // The host registered its own resolver for Confluent.Kafka; it decides, the version check judges.
            }

            try
            {
                // Without a path the client binds through [DllImport], which the resolver serves.
                // (With a path it would dlopen through "libdl", a name glibc 2.34+ ships only in libc6-dev.)
                Library.Load();
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
            {
                throw new InvalidOperationException(
                    $"librdkafka could not be loaded ({Where()}): {OneLine(e.Message)}; run infra/setup.sh and rebuild", e);
            }

            CheckVersion(Library.VersionString, ExpectedVersion, Where());
            Volatile.Write(ref _checked, true);
        }
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> unless <paramref name="loaded"/> is <paramref name="expected"/>.</summary>
    public static void CheckVersion(string loaded, string expected, string where)
    {
        if (!string.Equals(loaded, expected, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"librdkafka {loaded} was loaded ({where}) but Lambda is built and tested with {expected} (the librdkafka.redist package); "
                + "remove the other library from the load path or rebuild");
        }
    }

    private static string Where() => LibraryPath ?? "from the system's library path";

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != "librdkafka" || !OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            // Other platforms: the package's own file for that platform, found by the runtime's probing.
            return IntPtr.Zero;
        }

        // A framework-dependent build keeps the package layout; a RID-specific publish flattens it.
        foreach (var path in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", LinuxX64Build),
                     Path.Combine(AppContext.BaseDirectory, LinuxX64Build),
                 })
        {
            if (File.Exists(path))
            {
                LibraryPath = path;
                return NativeLibrary.Load(path);
            }
        }

        return IntPtr.Zero;
    }
}
