using System.Globalization;
using Lambda.DuckDb.Native;

namespace Lambda.DuckDb;

/// <summary>
/// DuckDB's memory allocator (the jemalloc built into libduckdb). By default jemalloc hands freed
/// pages back to the OS within about a second. A job that runs one large statement after another (the
/// recompute's day queries) then gets every hash table and buffer as fresh
/// pages that the kernel must fault in and zero again: at 100M events that was 2.5 million page faults
/// and a fifth of the recompute's CPU. <see cref="RetainFreedMemory"/> keeps freed pages for reuse
/// while a job runs, and gives them all back when the job ends.
/// </summary>
public static class DuckDbAllocator
{
    // jemalloc's index meaning "every arena" (MALLCTL_ARENAS_ALL).
    private const int AllArenas = 4096;

    private static readonly Lock Gate = new();
    private static int _holders;
    private static Saved? _saved;

    /// <summary>
    /// Until the returned scope is disposed, freed memory stays with DuckDB's allocator for reuse instead
    /// of going back to the OS (jemalloc decay off in every arena). Scopes nest and may overlap across
    /// threads; when the last one ends the previous decay times return and every arena is purged, so an
    /// idle process holds nothing. A library without jemalloc's control interface gets a scope that does nothing.
    /// </summary>
    public static IDisposable RetainFreedMemory()
    {
        lock (Gate)
        {
            if (_holders++ == 0)
            {
                _saved = Saved.Capture();
                _saved?.Apply(-1, -1);
            }
        }

        return new Scope();
    }

    /// <summary>The current dirty-page decay time (ms) of arena 0 and of new arenas; null without jemalloc. -1 means never.</summary>
    public static (long Arena0, long NewArenas)? DirtyDecayMs =>
        Read(DecayName(0, "dirty_decay_ms")) is { } arena && Read("arenas.dirty_decay_ms") is { } arenas ? (arena, arenas) : null;

    private static void Release()
    {
        lock (Gate)
        {
            if (--_holders == 0 && _saved is { } saved)
            {
                saved.Apply(saved.Dirty, saved.Muzzy);
                _ = Write(string.Create(CultureInfo.InvariantCulture, $"arena.{AllArenas}.purge"), null);
                _saved = null;
            }
        }
    }

    private static string DecayName(long arena, string setting) =>
        arena < 0 ? "arenas." + setting : string.Create(CultureInfo.InvariantCulture, $"arena.{arena}.{setting}");

    /// <summary>Reads a <c>ssize_t</c> control; null when the library has no such control.</summary>
    private static unsafe long? Read(string name)
    {
        try
        {
            nint value = 0;
            nuint length = (nuint)sizeof(nint);
            return LocalNativeMethods.Mallctl(name, &value, &length, null, 0) == 0 ? value : null;
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Writes a <c>ssize_t</c> control (or triggers a void one when <paramref name="value"/> is null).</summary>
    private static unsafe bool Write(string name, long? value)
    {
        try
        {
            nint v = (nint)(value ?? 0);
            return LocalNativeMethods.Mallctl(name, null, null, value is null ? null : &v, value is null ? 0 : (nuint)sizeof(nint)) == 0;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// The decay times before the first scope: those of new arenas (every arena DuckDB uses starts
    /// with them), applied to the arenas that exist and to arenas made later.
    /// </summary>
    private sealed record Saved(long Dirty, long Muzzy, int Arenas)
    {
        public static unsafe Saved? Capture()
        {
            if (Read("arenas.dirty_decay_ms") is not { } dirty || Read("arenas.muzzy_decay_ms") is not { } muzzy)
            {
                return null;
            }

            uint arenas = 0;
            nuint length = sizeof(uint);
            return LocalNativeMethods.Mallctl("arenas.narenas", &arenas, &length, null, 0) == 0 ? new Saved(dirty, muzzy, (int)arenas) : null;
        }

        public void Apply(long dirty, long muzzy)
        {
            for (var arena = -1L; arena < Arenas; arena++)
            {
                // An arena not made yet has no controls (it fails); it will start with the new-arena values.
                _ = Write(DecayName(arena, "dirty_decay_ms"), dirty);
                _ = Write(DecayName(arena, "muzzy_decay_ms"), muzzy);
            }
        }
    }

    private sealed class Scope : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Release();
            }
        }
    }
}
