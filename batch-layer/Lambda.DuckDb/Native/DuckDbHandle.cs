using System.Runtime.InteropServices;

namespace Lambda.DuckDb.Native;

/// <summary>
/// A native DuckDB object released exactly once. A child (connection, statement, appender, result)
/// holds a reference count on its parent, so the parent's native object outlives every child whatever
/// order they are disposed or finalized in.
/// </summary>
internal abstract class DuckDbHandle : SafeHandle
{
    private readonly DuckDbHandle? _parent;
    private volatile bool _disposed;

    protected DuckDbHandle(nint value, DuckDbHandle? parent)
        : base(0, ownsHandle: true)
    {
        if (value != 0 && parent is not null)
        {
            var added = false;
            parent.DangerousAddRef(ref added);
            _parent = parent;
        }
        SetHandle(value);
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>
    /// True once its owner disposed it. The native object may live on (IsClosed still false) while
    /// children hold references, but the owner may no longer use it.
    /// </summary>
    internal bool IsDisposed => _disposed || IsClosed;

    /// <summary>The native pointer; throws once this handle is disposed.</summary>
    internal nint Value
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            return handle;
        }
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        base.Dispose(disposing);
    }

    protected sealed override bool ReleaseHandle()
    {
        try
        {
            Release(handle);
            return true;
        }
        finally
        {
            _parent?.DangerousRelease();
        }
    }

    protected abstract void Release(nint value);
}
