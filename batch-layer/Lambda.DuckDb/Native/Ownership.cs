using System.Runtime.InteropServices;

namespace Lambda.DuckDb.Native;

internal static class Ownership
{
    /// <summary>
    /// The package's <c>out</c> marshalling hands back its own handle object, which has no parent count;
    /// the pointer moves to one of ours (see Handles.cs) and that object is retired without releasing it.
    /// </summary>
    internal static nint Take(SafeHandle created)
    {
        var value = created.DangerousGetHandle();
        created.SetHandleAsInvalid();
        return value;
    }
}
