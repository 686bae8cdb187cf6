using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Lambda.DuckDb.Native;

namespace Lambda.DuckDb;

/// <summary>
/// A table function <c>name(BIGINT)</c> whose rows come from C#: DuckDB binds it to
/// <see cref="Columns"/> and asks <see cref="Open"/> for a scan of the columns a query uses (projection
/// pushdown), single-threaded, so a scan's rows keep their order (a COPY writes them as filled).
/// The callbacks run on DuckDB threads: state crosses as GCHandles, exceptions as DuckDB errors.
/// </summary>
public sealed unsafe class DuckDbTableFunction
{
    /// <summary>Creates the function's description; register it with <see cref="DuckDbConnection.RegisterTableFunction"/>.</summary>
    /// <param name="name">The SQL name.</param>
    /// <param name="columns">The result columns (fixed-width integers, DOUBLE, VARCHAR, BLOB).</param>
    /// <param name="open">Opens a scan for the call's argument and the projected column numbers (into <paramref name="columns"/>).</param>
    public DuckDbTableFunction(string name, IReadOnlyList<DuckDbColumn> columns, Func<long, int[], IDuckDbTableScan> open)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(open);
        if (columns.Count == 0)
        {
            throw new ArgumentException("a table function needs at least one column", nameof(columns));
        }

        Name = name;
        Columns = [.. columns];
        Open = open;
    }

    /// <summary>The SQL name.</summary>
    public string Name { get; }

    /// <summary>The result columns.</summary>
    public IReadOnlyList<DuckDbColumn> Columns { get; }

    /// <summary>Opens a scan: (argument, projected column numbers) → scan.</summary>
    public Func<long, int[], IDuckDbTableScan> Open { get; }

    internal unsafe void Register(nint connection)
    {
        var function = NativeMethods.CreateTableFunction();
        try
        {
            NativeMethods.TableFunctionSetName(function, Name);
            var bigint = NativeMethods.CreateLogicalType(DuckDbType.BigInt);
            NativeMethods.TableFunctionAddParameter(function, bigint);
            NativeMethods.DestroyLogicalType(ref bigint);
            // DuckDB owns the handle from here and frees it with the function (or with the unregistered description).
            var self = GCHandle.Alloc(this);
            NativeMethods.TableFunctionSetExtraInfo(function, (void*)GCHandle.ToIntPtr(self), &FreeHandle);
            NativeMethods.TableFunctionSetBind(function, &Bind);
            NativeMethods.TableFunctionSetInit(function, &Init);
            NativeMethods.TableFunctionSetFunction(function, &Produce);
            NativeMethods.TableFunctionSupportsProjectionPushdown(function, true);
            if (NativeMethods.RegisterTableFunction(connection, function) != NativeMethods.Success)
            {
                throw new DuckDbException($"DuckDB could not register the table function {Name}");
            }
        }
        finally
        {
            NativeMethods.DestroyTableFunction(ref function);
        }
    }

    private static T Target<T>(void* handle)
        where T : class => (T)GCHandle.FromIntPtr((nint)handle).Target!;

    [UnmanagedCallersOnly]
    private static unsafe void FreeHandle(void* handle)
    {
        var gc = GCHandle.FromIntPtr((nint)handle);
        try
        {
            (gc.Target as IDisposable)?.Dispose();
        }
#pragma warning disable CA1031 // Nothing may cross back into DuckDB; a failed Dispose of a finished scan has no one to tell.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        finally
        {
            gc.Free();
        }
    }

    [UnmanagedCallersOnly]
    private static unsafe void Bind(nint info)
    {
        try
        {
            var self = Target<DuckDbTableFunction>(NativeMethods.BindGetExtraInfo(info));
            foreach (var column in self.Columns)
            {
                var type = NativeMethods.CreateLogicalType(column.Type);
                NativeMethods.BindAddResultColumn(info, column.Name, type);
                NativeMethods.DestroyLogicalType(ref type);
            }

            var value = NativeMethods.BindGetParameter(info, 0);
            var argument = NativeMethods.GetInt64(value);
            NativeMethods.DestroyValue(ref value);
            NativeMethods.BindSetBindData(info, (void*)GCHandle.ToIntPtr(GCHandle.Alloc(new StrongBox<long>(argument))), &FreeHandle);
        }
#pragma warning disable CA1031 // Exceptions must not unwind into DuckDB: they become the query's error.
        catch (Exception e)
#pragma warning restore CA1031
        {
            NativeMethods.BindSetError(info, e.Message);
        }
    }

    [UnmanagedCallersOnly]
    private static unsafe void Init(nint info)
    {
        try
        {
            var self = Target<DuckDbTableFunction>(NativeMethods.InitGetExtraInfo(info));
            var argument = Target<StrongBox<long>>(NativeMethods.InitGetBindData(info)).Value;
            var projected = new int[(int)NativeMethods.InitGetColumnCount(info)];
            var types = new DuckDbType[projected.Length];
            for (var i = 0; i < projected.Length; i++)
            {
                var index = NativeMethods.InitGetColumnIndex(info, (ulong)i);
                // Anything else (a row id for count(*)) is a BIGINT the scan does not know and leaves unset.
                projected[i] = index < (ulong)self.Columns.Count ? (int)index : -1;
                types[i] = projected[i] >= 0 ? self.Columns[projected[i]].Type : DuckDbType.BigInt;
            }

            var scan = new Scan(self.Open(argument, projected), types);
            NativeMethods.InitSetInitData(info, (void*)GCHandle.ToIntPtr(GCHandle.Alloc(scan)), &FreeHandle);
            NativeMethods.InitSetMaxThreads(info, 1);
        }
#pragma warning disable CA1031 // Exceptions must not unwind into DuckDB: they become the query's error.
        catch (Exception e)
#pragma warning restore CA1031
        {
            NativeMethods.InitSetError(info, e.Message);
        }
    }

    [UnmanagedCallersOnly]
    private static unsafe void Produce(nint info, nint output)
    {
        try
        {
            var scan = Target<Scan>(NativeMethods.FunctionGetInitData(info));
            scan.Output.Attach(output);
            scan.Source.Fill(scan.Output);
            scan.Output.PrepareAppend();
        }
#pragma warning disable CA1031 // Exceptions must not unwind into DuckDB: they become the query's error.
        catch (Exception e)
#pragma warning restore CA1031
        {
            NativeMethods.FunctionSetError(info, e.Message);
        }
    }

    /// <summary>A running scan: the caller's source and a view over DuckDB's output chunk.</summary>
    private sealed class Scan(IDuckDbTableScan source, DuckDbType[] types) : IDisposable
    {
        public IDuckDbTableScan Source { get; } = source;

        public DuckDbDataChunk Output { get; } = new(types, borrowed: true);

        public void Dispose() => (Source as IDisposable)?.Dispose();
    }
}
