namespace Kappa.Sinks;

/// <summary>
/// One user column of a serving table. <see cref="Precision"/> and <see cref="Scale"/> apply to
/// <see cref="TableColumnType.Decimal"/> only (0 for every other type). <see cref="IsKey"/> must agree with the
/// <see cref="TableSchema"/>'s key column list.
/// </summary>
public sealed record TableColumn(string Name, TableColumnType Type, bool Nullable = false, int Precision = 0, int Scale = 0, bool IsKey = false);
