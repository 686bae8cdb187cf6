using System.Runtime.InteropServices;

namespace Lambda.DuckDb.Native;

/// <summary>
/// A count a child handle (connection, statement, appender, result) holds on its parent, so the parent's
/// native object outlives the child's whatever order they are disposed or finalized in: the parent's
/// release waits until every child has released its own object and then this count.
/// </summary>
internal readonly struct ParentLease
{
    private readonly SafeHandle? _parent;

    /// <summary>Takes a count on <paramref name="parent"/> unless the child is null (never released, so it needs none).</summary>
    internal ParentLease(SafeHandle parent, nint child)
    {
        if (child == 0)
        {
            return;
        }

        var added = false;
        parent.DangerousAddRef(ref added);
        _parent = parent;
    }

    internal void Release() => _parent?.DangerousRelease();
}
