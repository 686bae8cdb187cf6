using DuckDB.NET.Native;

namespace Lambda.DuckDb.Native;

/// <summary>Lambda's <see cref="DuckDbType"/> and the package's <see cref="DuckDBType"/> both carry duckdb_type's values.</summary>
internal static class TypeIds
{
    internal static DuckDBType ToPackage(this DuckDbType type) => (DuckDBType)type;

    internal static DuckDbType FromPackage(DuckDBType type) => (DuckDbType)type;
}
