namespace Kappa.CrashHost;

/// <summary>An output of <see cref="CrashTotals"/>: the key's new total after the input at SourcePartition@SourceOffset.</summary>
[AvroRecord]
public partial record TotalOutput(int SourcePartition, long SourceOffset, long Total);
