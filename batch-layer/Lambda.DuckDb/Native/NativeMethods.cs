using System.Runtime.InteropServices;

namespace Lambda.DuckDb.Native;

/// <summary>
/// Every declaration of DuckDB's C API (duckdb.h, libduckdb 1.5.6) used by this binding.
/// Handles are opaque pointers (<c>nint</c>); idx_t is <c>ulong</c>; duckdb_state is 0 on success.
/// Strings returned as <c>const char*</c> stay owned by DuckDB, so they are declared as <c>byte*</c>
/// (a <c>string</c> return would make the marshaller free DuckDB's memory).
/// </summary>
internal static unsafe partial class NativeMethods
{
    private const string Library = "duckdb";

    internal const int Success = 0;

    /// <summary>duckdb_result: a 48-byte struct the caller owns; only <see cref="InternalData"/> matters here.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct DuckDbResult
    {
        public ulong DeprecatedColumnCount;
        public ulong DeprecatedRowCount;
        public ulong DeprecatedRowsChanged;
        public nint DeprecatedColumns;
        public nint DeprecatedErrorMessage;
        public nint InternalData;
    }

    /// <summary>duckdb_string_t: length, then 12 inlined bytes or a 4-byte prefix and a pointer.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 16)]
    internal struct DuckDbString
    {
        internal const int InlineLength = 12;

        [FieldOffset(0)] public uint Length;
        [FieldOffset(4)] public byte Inlined;
        [FieldOffset(8)] public byte* Pointer;
    }

    // --- library, configuration, database, connection ---

    [LibraryImport(Library, EntryPoint = "duckdb_library_version")]
    internal static partial byte* LibraryVersion();

    [LibraryImport(Library, EntryPoint = "duckdb_free")]
    internal static partial void Free(void* ptr);

    [LibraryImport(Library, EntryPoint = "duckdb_create_config")]
    internal static partial int CreateConfig(out nint config);

    [LibraryImport(Library, EntryPoint = "duckdb_set_config", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int SetConfig(nint config, string name, string option);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_config")]
    internal static partial void DestroyConfig(ref nint config);

    [LibraryImport(Library, EntryPoint = "duckdb_open_ext", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int OpenExt(string? path, out nint database, nint config, out byte* error);

    [LibraryImport(Library, EntryPoint = "duckdb_close")]
    internal static partial void Close(ref nint database);

    [LibraryImport(Library, EntryPoint = "duckdb_connect")]
    internal static partial int Connect(nint database, out nint connection);

    [LibraryImport(Library, EntryPoint = "duckdb_disconnect")]
    internal static partial void Disconnect(ref nint connection);

    // --- queries and results ---

    [LibraryImport(Library, EntryPoint = "duckdb_query", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Query(nint connection, string sql, DuckDbResult* result);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_result")]
    internal static partial void DestroyResult(DuckDbResult* result);

    [LibraryImport(Library, EntryPoint = "duckdb_result_error")]
    internal static partial byte* ResultError(DuckDbResult* result);

    [LibraryImport(Library, EntryPoint = "duckdb_column_count")]
    internal static partial ulong ColumnCount(DuckDbResult* result);

    [LibraryImport(Library, EntryPoint = "duckdb_column_name")]
    internal static partial byte* ColumnName(DuckDbResult* result, ulong column);

    [LibraryImport(Library, EntryPoint = "duckdb_column_type")]
    internal static partial DuckDbType ColumnType(DuckDbResult* result, ulong column);

    [LibraryImport(Library, EntryPoint = "duckdb_column_logical_type")]
    internal static partial nint ColumnLogicalType(DuckDbResult* result, ulong column);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_logical_type")]
    internal static partial void DestroyLogicalType(ref nint logicalType);

    [LibraryImport(Library, EntryPoint = "duckdb_decimal_scale")]
    internal static partial byte DecimalScale(nint logicalType);

    [LibraryImport(Library, EntryPoint = "duckdb_decimal_internal_type")]
    internal static partial DuckDbType DecimalInternalType(nint logicalType);

    // Not deprecated-mode: reads the materialized row count without switching the result away from chunks.
    [LibraryImport(Library, EntryPoint = "duckdb_row_count")]
    internal static partial ulong RowCount(DuckDbResult* result);

    [LibraryImport(Library, EntryPoint = "duckdb_rows_changed")]
    internal static partial ulong RowsChanged(DuckDbResult* result);

    // --- data chunks and vectors ---

    [LibraryImport(Library, EntryPoint = "duckdb_fetch_chunk")]
    internal static partial nint FetchChunk(DuckDbResult result);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_data_chunk")]
    internal static partial void DestroyDataChunk(ref nint chunk);

    [LibraryImport(Library, EntryPoint = "duckdb_data_chunk_get_size")]
    internal static partial ulong DataChunkGetSize(nint chunk);

    [LibraryImport(Library, EntryPoint = "duckdb_data_chunk_get_vector")]
    internal static partial nint DataChunkGetVector(nint chunk, ulong column);

    [LibraryImport(Library, EntryPoint = "duckdb_vector_get_data")]
    internal static partial void* VectorGetData(nint vector);

    /// <summary>Null when every row of the vector is valid.</summary>
    [LibraryImport(Library, EntryPoint = "duckdb_vector_get_validity")]
    internal static partial ulong* VectorGetValidity(nint vector);

    // --- prepared statements ---

    [LibraryImport(Library, EntryPoint = "duckdb_prepare", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Prepare(nint connection, string sql, out nint statement);

    [LibraryImport(Library, EntryPoint = "duckdb_prepare_error")]
    internal static partial byte* PrepareError(nint statement);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_prepare")]
    internal static partial void DestroyPrepare(ref nint statement);

    [LibraryImport(Library, EntryPoint = "duckdb_nparams")]
    internal static partial ulong ParameterCount(nint statement);

    [LibraryImport(Library, EntryPoint = "duckdb_clear_bindings")]
    internal static partial int ClearBindings(nint statement);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_null")]
    internal static partial int BindNull(nint statement, ulong index);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_boolean")]
    internal static partial int BindBoolean(nint statement, ulong index, [MarshalAs(UnmanagedType.U1)] bool value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_int32")]
    internal static partial int BindInt32(nint statement, ulong index, int value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_int64")]
    internal static partial int BindInt64(nint statement, ulong index, long value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_uint64")]
    internal static partial int BindUInt64(nint statement, ulong index, ulong value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_double")]
    internal static partial int BindDouble(nint statement, ulong index, double value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_varchar_length")]
    internal static partial int BindVarcharLength(nint statement, ulong index, byte* utf8, ulong length);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_blob")]
    internal static partial int BindBlob(nint statement, ulong index, byte* data, ulong length);

    /// <summary>duckdb_timestamp is a struct of one int64 (microseconds since 1970-01-01), passed as that int64.</summary>
    [LibraryImport(Library, EntryPoint = "duckdb_bind_timestamp")]
    internal static partial int BindTimestamp(nint statement, ulong index, long micros);

    [LibraryImport(Library, EntryPoint = "duckdb_execute_prepared")]
    internal static partial int ExecutePrepared(nint statement, DuckDbResult* result);

    // --- appender ---

    [LibraryImport(Library, EntryPoint = "duckdb_appender_create", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int AppenderCreate(nint connection, string? schema, string table, out nint appender);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_error")]
    internal static partial byte* AppenderError(nint appender);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_flush")]
    internal static partial int AppenderFlush(nint appender);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_close")]
    internal static partial int AppenderClose(nint appender);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_destroy")]
    internal static partial int AppenderDestroy(ref nint appender);

    [LibraryImport(Library, EntryPoint = "duckdb_append_data_chunk")]
    internal static partial int AppendDataChunk(nint appender, nint chunk);

    // --- data chunks for writing ---

    [LibraryImport(Library, EntryPoint = "duckdb_create_logical_type")]
    internal static partial nint CreateLogicalType(DuckDbType type);

    [LibraryImport(Library, EntryPoint = "duckdb_create_data_chunk")]
    internal static partial nint CreateDataChunk(nint* types, ulong columnCount);

    [LibraryImport(Library, EntryPoint = "duckdb_data_chunk_set_size")]
    internal static partial void DataChunkSetSize(nint chunk, ulong size);

    [LibraryImport(Library, EntryPoint = "duckdb_data_chunk_reset")]
    internal static partial void DataChunkReset(nint chunk);

    [LibraryImport(Library, EntryPoint = "duckdb_vector_size")]
    internal static partial ulong VectorSize();

    [LibraryImport(Library, EntryPoint = "duckdb_vector_assign_string_element_len")]
    internal static partial void VectorAssignStringElementLength(nint vector, ulong index, byte* data, ulong length);

    [LibraryImport(Library, EntryPoint = "duckdb_vector_ensure_validity_writable")]
    internal static partial void VectorEnsureValidityWritable(nint vector);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_end_row")]
    internal static partial int AppenderEndRow(nint appender);

    [LibraryImport(Library, EntryPoint = "duckdb_append_null")]
    internal static partial int AppendNull(nint appender);

    [LibraryImport(Library, EntryPoint = "duckdb_append_bool")]
    internal static partial int AppendBoolean(nint appender, [MarshalAs(UnmanagedType.U1)] bool value);

    [LibraryImport(Library, EntryPoint = "duckdb_append_int32")]
    internal static partial int AppendInt32(nint appender, int value);

    [LibraryImport(Library, EntryPoint = "duckdb_append_int64")]
    internal static partial int AppendInt64(nint appender, long value);

    [LibraryImport(Library, EntryPoint = "duckdb_append_uint64")]
    internal static partial int AppendUInt64(nint appender, ulong value);

    [LibraryImport(Library, EntryPoint = "duckdb_append_double")]
    internal static partial int AppendDouble(nint appender, double value);

    [LibraryImport(Library, EntryPoint = "duckdb_append_varchar_length")]
    internal static partial int AppendVarcharLength(nint appender, byte* utf8, ulong length);

    [LibraryImport(Library, EntryPoint = "duckdb_append_blob")]
    internal static partial int AppendBlob(nint appender, byte* data, ulong length);

    [LibraryImport(Library, EntryPoint = "duckdb_append_timestamp")]
    internal static partial int AppendTimestamp(nint appender, long micros);

    /// <summary>Copies a DuckDB-owned, NUL-terminated UTF-8 string; null stays null.</summary>
    internal static string? ToManaged(byte* utf8) => utf8 == null ? null : Marshal.PtrToStringUTF8((nint)utf8);
}
