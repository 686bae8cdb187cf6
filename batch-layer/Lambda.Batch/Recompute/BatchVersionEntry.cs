using Lambda.SharedModel.Views;

namespace Lambda.Batch.Recompute;

/// <summary>A batch view version as listed by <see cref="BatchVersionCatalog"/>.</summary>
public sealed record BatchVersionEntry(BatchVersionInfo Info, bool IsCurrent);
