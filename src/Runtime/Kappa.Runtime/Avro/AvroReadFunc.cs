namespace Kappa.Avro;

/// <summary>A decoder of one value (a generated <c>ReadAvro</c> or resolving decoder), callable through a delegate.</summary>
public delegate T AvroReadFunc<T>(ref AvroReader reader);
