namespace Kappa;

/// <summary>
/// Avro's <c>duration</c> logical type: an amount of time in months, days and milliseconds, kept apart because they are
/// not convertible into each other (a month has no fixed number of days, a day no fixed number of milliseconds across
/// daylight-saving changes). Written as <c>fixed(12)</c>: three unsigned 32-bit little-endian integers.
/// </summary>
public readonly record struct AvroDuration(uint Months, uint Days, uint Milliseconds);
