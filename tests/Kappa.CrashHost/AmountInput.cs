namespace Kappa.CrashHost;

/// <summary>An input record of the crash test: an amount to add to its key's running total.</summary>
[AvroRecord]
public partial record AmountInput(long Amount);
