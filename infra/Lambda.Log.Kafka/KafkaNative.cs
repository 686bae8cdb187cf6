using Confluent.Kafka;

namespace Lambda.Log.Kafka;

/// <summary>
/// Loads the native librdkafka once. Confluent.Kafka 1.9.3 normally takes it from its
/// librdkafka.redist dependency, which the registry lacks; here it comes from Debian
/// (librdkafka1 + librdkafka-dev, installed by infra/setup.sh), found by the loader's usual search.
/// </summary>
public static class KafkaNative
{
    // Debian's runtime package ships only the versioned name; -dev adds the plain librdkafka.so link.
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
    /// Loads librdkafka if it is not loaded yet. Throws <see cref="DllNotFoundException"/> with the
    /// fix (run infra/setup.sh) if no candidate loads.
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

            List<string>? failures = null;
            foreach (var candidate in Candidates)
            {
                try
                {
                    Library.Load(candidate);
                    return;
                }
                catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or InvalidOperationException)
                {
                    (failures ??= []).Add($"{candidate}: {e.Message}");
                }
            }

            throw new DllNotFoundException(
                "librdkafka could not be loaded; install it with infra/setup.sh (Debian packages librdkafka1, librdkafka-dev). "
                + string.Join("; ", failures!));
        }
    }
}
