using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace Lambda.Log.Kafka;

/// <summary>
/// Loads the native librdkafka once. Confluent.Kafka 1.9.3 normally takes it from its
/// librdkafka.redist dependency, which the registry lacks; here it is Debian's (librdkafka1,
/// installed by infra/setup.sh), bound to the client's <c>[DllImport("librdkafka")]</c> by a resolver.
/// </summary>
public static class KafkaNative
{
    // Debian's runtime package ships the versioned name; librdkafka-dev adds the plain one.
    private static readonly string[] Candidates = ["librdkafka.so.1", "librdkafka.so"];
    private static readonly Lock Gate = new();

    /// <summary>librdkafka's version string, e.g. "2.0.2"; loads the library first.</summary>
    public static string Version
    {
        get
        {
            EnsureLoaded();
            return Library.VersionString;
        }
    }

    /// <summary>
    /// Loads librdkafka if it is not loaded yet. Throws <see cref="DllNotFoundException"/> naming
    /// the fix (infra/setup.sh) if it cannot be loaded.
    /// </summary>
    public static void EnsureLoaded()
    {
        if (Library.IsLoaded)
        {
            return;
        }

        lock (Gate)
        {
            if (Library.IsLoaded)
            {
                return;
            }

            try
            {
                NativeLibrary.SetDllImportResolver(typeof(Library).Assembly, Resolve);
            }
            catch (InvalidOperationException)
            {
                // The host registered its own resolver for Confluent.Kafka; it decides.
            }

            try
            {
                // Not Library.Load(path): with a path, 1.9.3 calls dlopen through "libdl", a name
                // that glibc 2.34+ no longer ships. Without one it binds through [DllImport], which
                // the resolver serves.
                Library.Load();
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or InvalidOperationException)
            {
                throw new DllNotFoundException(
                    "librdkafka could not be loaded; install it with infra/setup.sh (Debian packages librdkafka1, librdkafka-dev): "
                    + e.Message, e);
            }
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName == "librdkafka")
        {
            foreach (var candidate in Candidates)
            {
                if (NativeLibrary.TryLoad(candidate, out var handle))
                {
                    return handle;
                }
            }
        }

        // Anything else, or no candidate found: the runtime's default probing.
        return IntPtr.Zero;
    }
}
