using System.Runtime.InteropServices;

namespace Lambda.DuckDb.Native;

/// <summary>The table-function part of DuckDB's C API (a scan whose rows C# supplies, one data chunk per call).</summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "duckdb_create_table_function")]
    internal static partial nint CreateTableFunction();

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_table_function")]
    internal static partial void DestroyTableFunction(ref nint function);

    [LibraryImport(Library, EntryPoint = "duckdb_table_function_set_name", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void TableFunctionSetName(nint function, string name);

    [LibraryImport(Library, EntryPoint = "duckdb_table_function_set_extra_info")]
    internal static partial void TableFunctionSetExtraInfo(nint function, nint extraInfo, delegate* unmanaged<nint, void> destroy);

    [LibraryImport(Library, EntryPoint = "duckdb_table_function_set_bind")]
    internal static partial void TableFunctionSetBind(nint function, delegate* unmanaged<nint, void> bind);

    [LibraryImport(Library, EntryPoint = "duckdb_table_function_set_init")]
    internal static partial void TableFunctionSetInit(nint function, delegate* unmanaged<nint, void> init);

    [LibraryImport(Library, EntryPoint = "duckdb_table_function_set_function")]
    internal static partial void TableFunctionSetFunction(nint function, delegate* unmanaged<nint, nint, void> scan);

    [LibraryImport(Library, EntryPoint = "duckdb_register_table_function")]
    internal static partial int RegisterTableFunction(nint connection, nint function);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_get_extra_info")]
    internal static partial nint BindGetExtraInfo(nint info);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_add_result_column", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void BindAddResultColumn(nint info, string name, nint logicalType);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_set_error", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void BindSetError(nint info, string error);

    [LibraryImport(Library, EntryPoint = "duckdb_init_get_extra_info")]
    internal static partial nint InitGetExtraInfo(nint info);

    [LibraryImport(Library, EntryPoint = "duckdb_init_set_error", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void InitSetError(nint info, string error);

    [LibraryImport(Library, EntryPoint = "duckdb_function_get_extra_info")]
    internal static partial nint FunctionGetExtraInfo(nint info);

    [LibraryImport(Library, EntryPoint = "duckdb_function_set_error", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void FunctionSetError(nint info, string error);

    [LibraryImport(Library, EntryPoint = "duckdb_vector_reference_vector")]
    internal static partial void VectorReferenceVector(nint toVector, nint fromVector);
}
