namespace Kappa.Transport;

/// <summary>Log start offset (<see cref="Low"/>) and log end offset (<see cref="High"/>, the offset the next record will get).</summary>
public readonly record struct WatermarkOffsets(long Low, long High);
