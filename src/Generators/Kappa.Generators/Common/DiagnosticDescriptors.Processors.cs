using Microsoft.CodeAnalysis;

namespace Kappa.Generators.Common;

/// <summary>Stream processor usage errors: KAPPA020-KAPPA039.</summary>
internal static partial class DiagnosticDescriptors
{
    public static readonly DiagnosticDescriptor ProcessorNotPartial = Error(
        "KAPPA020",
        "Stream processor must be partial",
        "The stream processor '{0}' must be declared partial so Kappa can generate its dispatcher and registration; add the 'partial' modifier");

    public static readonly DiagnosticDescriptor ProcessorUnsupportedDeclaration = Error(
        "KAPPA021",
        "Unsupported stream processor declaration",
        "The stream processor '{0}' {1}; a processor must be a top-level, non-generic, non-static, non-abstract class");

    public static readonly DiagnosticDescriptor ProcessorHasNoHandler = Error(
        "KAPPA022",
        "Stream processor has no handler",
        "The stream processor '{0}' has no method marked [Consume(\"topic\")]; add a handler for each input topic");

    public static readonly DiagnosticDescriptor HandlerBadSignature = Error(
        "KAPPA023",
        "Invalid handler signature",
        "The handler '{0}' {1}; a handler is a non-generic method taking (TIn value) or (TIn value, RecordContext context) and returning void, TOut, TOut? or a collection of TOut");

    public static readonly DiagnosticDescriptor HandlerInputNotAvroRecord = Error(
        "KAPPA024",
        "Handler input is not an Avro record",
        "The handler '{0}' takes '{1}', which is not an Avro record; mark the type [AvroRecord] (or implement Kappa.Avro.IAvroRecord<{1}>) so its values can be decoded");

    public static readonly DiagnosticDescriptor HandlerAsync = Error(
        "KAPPA025",
        "Handlers are synchronous",
        "The handler '{0}' is asynchronous ({1}); records are processed synchronously and in order, so return the outputs directly instead of a task");

    public static readonly DiagnosticDescriptor HandlerMissingOutput = Error(
        "KAPPA026",
        "Handler returns values but has no [Output]",
        "The handler '{0}' returns '{1}' but has no [Output(\"sink\")]; name the sink its records go to, or return void");

    public static readonly DiagnosticDescriptor OutputOnVoidHandler = Error(
        "KAPPA027",
        "[Output] on a handler that returns nothing",
        "The handler '{0}' returns void but is marked [Output(\"{1}\")]; return the output records, or remove [Output]");

    public static readonly DiagnosticDescriptor DuplicateTopicHandler = Error(
        "KAPPA028",
        "Two handlers consume the same topic",
        "The handlers '{0}' and '{1}' both consume topic '{2}'; each input topic has exactly one handler in a processor");

    public static readonly DiagnosticDescriptor InvalidName = Error(
        "KAPPA029",
        "Invalid processor, topic or sink name",
        "The {0} '{1}' is invalid: {2}");

    public static readonly DiagnosticDescriptor InvalidVersion = Error(
        "KAPPA030",
        "Processor version must be at least 1",
        "The stream processor '{0}' has Version = {1}; versions start at 1 and each new version replays the log into new outputs");

    public static readonly DiagnosticDescriptor DuplicateProcessor = Error(
        "KAPPA031",
        "Duplicate processor name and version",
        "The stream processor '{0}' declares '{1}' version {2}, which '{3}' already declares; two processors with one name and version would share a consumer group and output topics");

    public static readonly DiagnosticDescriptor HandlerOutputNotAvroRecord = Error(
        "KAPPA032",
        "Handler output is not an Avro record",
        "The handler '{0}' returns '{1}', whose records of type '{2}' are not Avro records; return an [AvroRecord] type (or a collection of one)");

    public static readonly DiagnosticDescriptor ProcessorNoConstructor = Error(
        "KAPPA033",
        "Stream processor has no usable constructor",
        "The stream processor '{0}' has no public or internal constructor without ref, out, in or params parameters; add one so the generated registration can create it");

    public static readonly DiagnosticDescriptor HandlerOutsideProcessor = Error(
        "KAPPA034",
        "[Consume] or [Output] outside a stream processor",
        "The method '{0}' is marked [{1}] but '{2}' is not a [StreamProcessor] class, so nothing will ever call it; mark the class [StreamProcessor(\"name\")] or remove the attribute");

    public static readonly DiagnosticDescriptor OutputWithoutConsume = Error(
        "KAPPA035",
        "[Output] on a method without [Consume]",
        "The method '{0}' is marked [Output(\"{1}\")] but not [Consume(\"topic\")]; only handlers have outputs, so add [Consume] or remove [Output]");

    public static readonly DiagnosticDescriptor HandlerStateNotProcessorState = Error(
        "KAPPA036",
        "Handler state is not a [ProcessorState] type",
        "The handler '{0}' takes '{1}' as its state parameter '{2}', which is not a [ProcessorState] type; mark the type [ProcessorState] (partial) or take a Kappa.RecordContext as the second parameter");

    public static readonly DiagnosticDescriptor HandlerStateNotByRef = Error(
        "KAPPA037",
        "Handler state must be passed by ref",
        "The handler '{0}' takes the state parameter '{1}' {2}; declare it 'ref {3} {1}' so the handler's changes are kept in the store");

    public static readonly DiagnosticDescriptor StoreStateTypeConflict = Error(
        "KAPPA038",
        "One state store with two state types",
        "The handlers '{0}' and '{1}' both use state store '{2}' but with the state types '{3}' and '{4}'; handlers sharing a store must use one state type, so give one of them another store name with [StateStore(\"name\")]");

    public static readonly DiagnosticDescriptor InvalidValueFormat = Error(
        "KAPPA039",
        "Invalid or conflicting value format",
        "The handler '{0}' {1}");
}
