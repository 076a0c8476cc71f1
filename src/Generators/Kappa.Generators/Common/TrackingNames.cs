namespace Kappa.Generators.Common;

/// <summary>Names of incremental pipeline steps, asserted by the caching tests.</summary>
public static class TrackingNames
{
    public const string AvroRecordModels = nameof(AvroRecordModels);
    public const string AvroRecordDiagnostics = nameof(AvroRecordDiagnostics);
    public const string AvroHistoryFile = nameof(AvroHistoryFile);
    public const string AvroHistoryResults = nameof(AvroHistoryResults);
    public const string AvroResolvingDecoders = nameof(AvroResolvingDecoders);
    public const string ProcessorModels = nameof(ProcessorModels);
    public const string ProcessorDiagnostics = nameof(ProcessorDiagnostics);
    public const string StateModels = nameof(StateModels);
    public const string StateDiagnostics = nameof(StateDiagnostics);
    public const string ServingTableModels = nameof(ServingTableModels);
    public const string ServingTableDiagnostics = nameof(ServingTableDiagnostics);
}
