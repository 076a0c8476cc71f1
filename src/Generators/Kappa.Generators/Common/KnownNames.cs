namespace Kappa.Generators.Common;

/// <summary>Metadata names of the runtime attributes and types the generators look for (one place, constants only).</summary>
internal static class KnownNames
{
    public const string AvroRecordAttribute = "Kappa.AvroRecordAttribute";
    public const string AvroDecimalAttribute = "Kappa.AvroDecimalAttribute";
    public const string AvroTimestampAttribute = "Kappa.AvroTimestampAttribute";
    public const string AvroDefaultAttribute = "Kappa.AvroDefaultAttribute";
    public const string AvroDocAttribute = "Kappa.AvroDocAttribute";
    public const string AvroAliasAttribute = "Kappa.AvroAliasAttribute";
    public const string AvroEnumDefaultAttribute = "Kappa.AvroEnumDefaultAttribute";
    public const string AvroFixedAttribute = "Kappa.AvroFixedAttribute";
    public const string AvroUnionAttribute = "Kappa.AvroUnionAttribute";
    public const string AvroDuration = "Kappa.AvroDuration";
    public const string AvroUnion2 = "Kappa.AvroUnion<T1, T2>";
    public const string AvroUnion3 = "Kappa.AvroUnion<T1, T2, T3>";
    public const string StreamProcessorAttribute = "Kappa.StreamProcessorAttribute";
    public const string ConsumeAttribute = "Kappa.ConsumeAttribute";
    public const string OutputAttribute = "Kappa.OutputAttribute";
    public const string ProcessorStateAttribute = "Kappa.ProcessorStateAttribute";
    public const string RecordContext = "Kappa.RecordContext";
    public const string ServingTableAttribute = "Kappa.ServingTableAttribute";
    public const string TableKeyAttribute = "Kappa.TableKeyAttribute";
    public const string TableColumnAttribute = "Kappa.TableColumnAttribute";
    public const string TableIndexAttribute = "Kappa.TableIndexAttribute";
}
