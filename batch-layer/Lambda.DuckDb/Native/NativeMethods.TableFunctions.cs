using System.Runtime.InteropServices;

namespace Lambda.DuckDb.Native;

/// <summary>The table function part of DuckDB's C API (duckdb.h, libduckdb 1.5.6): scans whose rows C# supplies.</summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "duckdb_create_table_function")]
    internal static partial nint CreateTableFunction();

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_table_function")]
    internal static partial void DestroyTableFunction(ref nint function);

    [LibraryImport(Library, EntryPoint = "duckdb_table_function_set_name", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void TableFunctionSetName(nint function, string name);

    [LibraryImport(Library, EntryPoint = "duckdb_table_function_add_parameter")]
    internal static partial void TableFunctionAddParameter(nint function, nint logicalType);

    [LibraryImport(Library, EntryPoint = "duckdb_table_function_set_extra_info")]
    internal static partial void TableFunctionSetExtraInfo(nint function, void* extraInfo, delegate* unmanaged<void*, void> destroy);

    [LibraryImport(Library, EntryPoint = "duckdb_table_function_set_bind")]
    internal static partial void TableFunctionSetBind(nint function, delegate* unmanaged<nint, void> bind);

    [LibraryImport(Library, EntryPoint = "duckdb_table_function_set_init")]
    internal static partial void TableFunctionSetInit(nint function, delegate* unmanaged<nint, void> init);

    [LibraryImport(Library, EntryPoint = "duckdb_table_function_set_function")]
    internal static partial void TableFunctionSetFunction(nint function, delegate* unmanaged<nint, nint, void> function2);

    [LibraryImport(Library, EntryPoint = "duckdb_table_function_supports_projection_pushdown")]
    internal static partial void TableFunctionSupportsProjectionPushdown(nint function, [MarshalAs(UnmanagedType.U1)] bool pushdown);

    [LibraryImport(Library, EntryPoint = "duckdb_register_table_function")]
    internal static partial int RegisterTableFunction(nint connection, nint function);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_get_extra_info")]
    internal static partial void* BindGetExtraInfo(nint info);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_add_result_column", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void BindAddResultColumn(nint info, string name, nint logicalType);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_get_parameter")]
    internal static partial nint BindGetParameter(nint info, ulong index);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_set_bind_data")]
    internal static partial void BindSetBindData(nint info, void* bindData, delegate* unmanaged<void*, void> destroy);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_set_error", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void BindSetError(nint info, string error);

    [LibraryImport(Library, EntryPoint = "duckdb_init_get_bind_data")]
    internal static partial void* InitGetBindData(nint info);

    [LibraryImport(Library, EntryPoint = "duckdb_init_get_extra_info")]
    internal static partial void* InitGetExtraInfo(nint info);

    [LibraryImport(Library, EntryPoint = "duckdb_init_set_init_data")]
    internal static partial void InitSetInitData(nint info, void* initData, delegate* unmanaged<void*, void> destroy);

    [LibraryImport(Library, EntryPoint = "duckdb_init_get_column_count")]
    internal static partial ulong InitGetColumnCount(nint info);

    [LibraryImport(Library, EntryPoint = "duckdb_init_get_column_index")]
    internal static partial ulong InitGetColumnIndex(nint info, ulong column);

    [LibraryImport(Library, EntryPoint = "duckdb_init_set_max_threads")]
    internal static partial void InitSetMaxThreads(nint info, ulong maxThreads);

    [LibraryImport(Library, EntryPoint = "duckdb_init_set_error", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void InitSetError(nint info, string error);

    [LibraryImport(Library, EntryPoint = "duckdb_function_get_init_data")]
    internal static partial void* FunctionGetInitData(nint info);

    [LibraryImport(Library, EntryPoint = "duckdb_function_set_error", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void FunctionSetError(nint info, string error);

    [LibraryImport(Library, EntryPoint = "duckdb_get_int64")]
    internal static partial long GetInt64(nint value);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_value")]
    internal static partial void DestroyValue(ref nint value);
}
