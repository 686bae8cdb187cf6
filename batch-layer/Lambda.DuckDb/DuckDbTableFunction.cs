using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DuckDB.NET.Native;
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

    internal unsafe void Register(ConnectionHandle connection)
    {
        var function = NativeMethods.TableFunction.DuckDBCreateTableFunction();
        try
        {
            NativeMethods.TableFunction.DuckDBTableFunctionSetName(function, Name);
            using (var bigint = NativeMethods.LogicalType.DuckDBCreateLogicalType(DuckDbType.BigInt.ToPackage()))
            {
                NativeMethods.TableFunction.DuckDBTableFunctionAddParameter(function, bigint);
            }
            // DuckDB owns the handle from here and frees it with the function (or with the unregistered description).
            var self = GCHandle.Alloc(this);
            NativeMethods.TableFunction.DuckDBTableFunctionSetExtraInfo(function, GCHandle.ToIntPtr(self), &FreeHandle);
            NativeMethods.TableFunction.DuckDBTableFunctionSetBind(function, &Bind);
            NativeMethods.TableFunction.DuckDBTableFunctionSetInit(function, &Init);
            NativeMethods.TableFunction.DuckDBTableFunctionSetFunction(function, &Produce);
            NativeMethods.TableFunction.DuckDBTableFunctionSupportsProjectionPushdown(function, true);
            if (NativeMethods.TableFunction.DuckDBRegisterTableFunction(connection.Live, function) != DuckDBState.Success)
            {
                throw new DuckDbException($"DuckDB could not register the table function {Name}");
            }
        }
        finally
        {
            NativeMethods.TableFunction.DuckDBDestroyTableFunction(ref function);
        }
    }

    private static T Target<T>(nint handle)
        where T : class => (T)GCHandle.FromIntPtr(handle).Target!;

    // Cdecl because the package's function pointer types say so (the same convention as the default on x64).
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void FreeHandle(nint handle)
    {
        var gc = GCHandle.FromIntPtr(handle);
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

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe void Bind(nint info)
    {
        try
        {
            var self = Target<DuckDbTableFunction>(NativeMethods.TableFunction.DuckDBBindGetExtraInfo(info));
            foreach (var column in self.Columns)
            {
                using var type = NativeMethods.LogicalType.DuckDBCreateLogicalType(column.Type.ToPackage());
                NativeMethods.TableFunction.DuckDBBindAddResultColumn(info, column.Name, type);
            }

            long argument;
            using (var value = NativeMethods.TableFunction.DuckDBBindGetParameter(info, 0))
            {
                argument = NativeMethods.Value.DuckDBGetInt64(value);
            }
            NativeMethods.TableFunction.DuckDBBindSetBindData(info, GCHandle.ToIntPtr(GCHandle.Alloc(new StrongBox<long>(argument))), &FreeHandle);
        }
#pragma warning disable CA1031 // Exceptions must not unwind into DuckDB: they become the query's error.
        catch (Exception e)
#pragma warning restore CA1031
        {
            NativeMethods.TableFunction.DuckDBBindSetError(info, e.Message);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe void Init(nint info)
    {
        try
        {
            var self = Target<DuckDbTableFunction>(NativeMethods.TableFunction.DuckDBInitGetExtraInfo(info));
            var argument = Target<StrongBox<long>>(NativeMethods.TableFunction.DuckDBInitGetBindData(info)).Value;
            var projected = new int[(int)NativeMethods.TableFunction.DuckDBInitGetColumnCount(info)];
            var types = new DuckDbType[projected.Length];
            for (var i = 0; i < projected.Length; i++)
            {
                var index = NativeMethods.TableFunction.DuckDBInitGetColumnIndex(info, (ulong)i);
                // Anything else (a row id for count(*)) is a BIGINT the scan does not know and leaves unset.
                projected[i] = index < (ulong)self.Columns.Count ? (int)index : -1;
                types[i] = projected[i] >= 0 ? self.Columns[projected[i]].Type : DuckDbType.BigInt;
            }

            var scan = new Scan(self.Open(argument, projected), types);
            NativeMethods.TableFunction.DuckDBInitSetInitData(info, GCHandle.ToIntPtr(GCHandle.Alloc(scan)), &FreeHandle);
            LocalNativeMethods.InitSetMaxThreads(info, 1);
        }
#pragma warning disable CA1031 // Exceptions must not unwind into DuckDB: they become the query's error.
        catch (Exception e)
#pragma warning restore CA1031
        {
            NativeMethods.TableFunction.DuckDBInitSetError(info, e.Message);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe void Produce(nint info, nint output)
    {
        try
        {
            var scan = Target<Scan>(NativeMethods.TableFunction.DuckDBFunctionGetInitData(info));
            scan.Output.Attach(output);
            scan.Source.Fill(scan.Output);
            scan.Output.PrepareAppend();
        }
#pragma warning disable CA1031 // Exceptions must not unwind into DuckDB: they become the query's error.
        catch (Exception e)
#pragma warning restore CA1031
        {
            NativeMethods.TableFunction.DuckDBFunctionSetError(info, e.Message);
        }
    }

    /// <summary>A running scan: the caller's source and a view over DuckDB's output chunk.</summary>
    private sealed class Scan(IDuckDbTableScan source, DuckDbType[] types) : IDisposable
    {
        public IDuckDbTableScan Source { get; } = source;

        public DuckDbDataChunk Output { get; } = new(types, new BorrowedDataChunk());

        public void Dispose() => (Source as IDisposable)?.Dispose();
    }
}
