using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Kappa.Generators.Tests.Infrastructure;

/// <summary>
/// The message formats of the processor and state diagnostics, written out here so the tests compare whole messages
/// (format and arguments) and a changed message is a visible change to the tests.
/// </summary>
internal static class GeneratorDiagnosticResults
{
    private static readonly Dictionary<string, string> Formats = new(StringComparer.Ordinal)
    {
        ["KAPPA020"] = "The stream processor '{0}' must be declared partial so Kappa can generate its dispatcher and registration; add the 'partial' modifier",
        ["KAPPA021"] = "The stream processor '{0}' {1}; a processor must be a top-level, non-generic, non-static, non-abstract class",
        ["KAPPA022"] = "The stream processor '{0}' has no method marked [Consume(\"topic\")]; add a handler for each input topic",
        ["KAPPA023"] = "The handler '{0}' {1}; a handler is a non-generic method taking (TIn value) or (TIn value, RecordContext context) and returning void, TOut, TOut? or a collection of TOut",
        ["KAPPA024"] = "The handler '{0}' takes '{1}', which is not an Avro record; mark the type [AvroRecord] (or implement Kappa.Avro.IAvroRecord<{1}>) so its values can be decoded",
        ["KAPPA025"] = "The handler '{0}' is asynchronous ({1}); records are processed synchronously and in order, so return the outputs directly instead of a task",
        ["KAPPA026"] = "The handler '{0}' returns '{1}' but has no [Output(\"sink\")]; name the sink its records go to, or return void",
        ["KAPPA027"] = "The handler '{0}' returns void but is marked [Output(\"{1}\")]; return the output records, or remove [Output]",
        ["KAPPA028"] = "The handlers '{0}' and '{1}' both consume topic '{2}'; each input topic has exactly one handler in a processor",
        ["KAPPA029"] = "The {0} '{1}' is invalid: {2}",
        ["KAPPA030"] = "The stream processor '{0}' has Version = {1}; versions start at 1 and each new version replays the log into new outputs",
        ["KAPPA031"] = "The stream processor '{0}' declares '{1}' version {2}, which '{3}' already declares; two processors with one name and version would share a consumer group and output topics",
        ["KAPPA032"] = "The handler '{0}' returns '{1}', whose records of type '{2}' are not Avro records; return an [AvroRecord] type (or a collection of one)",
        ["KAPPA033"] = "The stream processor '{0}' has no public or internal constructor without ref, out, in or params parameters; add one so the generated registration can create it",
        ["KAPPA034"] = "The method '{0}' is marked [{1}] but '{2}' is not a [StreamProcessor] class, so nothing will ever call it; mark the class [StreamProcessor(\"name\")] or remove the attribute",
        ["KAPPA035"] = "The method '{0}' is marked [Output(\"{1}\")] but not [Consume(\"topic\")]; only handlers have outputs, so add [Consume] or remove [Output]",
        ["KAPPA036"] = "The handler '{0}' takes '{1}' as its state parameter '{2}', which is not a [ProcessorState] type; mark the type [ProcessorState] (partial) or take a Kappa.RecordContext as the second parameter",
        ["KAPPA037"] = "The handler '{0}' takes the state parameter '{1}' {2}; declare it 'ref {3} {1}' so the handler's changes are kept in the store",
        ["KAPPA038"] = "The handlers '{0}' and '{1}' both use state store '{2}' but with the state types '{3}' and '{4}'; handlers sharing a store must use one state type, so give one of them another store name with [StateStore(\"name\")]",
        ["KAPPA039"] = "The handler '{0}' {1}",
        ["KAPPA040"] = "[ProcessorState] type '{0}' must be declared partial{1} so the generator can add its serializer; add the 'partial' modifier",
        ["KAPPA041"] = "[ProcessorState] type '{0}' cannot be used as state: {1}",
        ["KAPPA042"] = "Field '{1}' of state '{0}' has type '{2}', which the state serializer does not support: {3}. Supported: bool, integers, float, double, decimal, string, DateTimeOffset, TimeSpan, Guid, enums, Nullable<T> of these, [ProcessorState] types, List<T>, T[] and Dictionary<string, T>.",
        ["KAPPA043"] = "Member '{1}' of state '{0}' is {2}; restoring state from its changelog must set it. Make it a settable field or property (get; set;), or make it non-public to keep it out of the state.",
        ["KAPPA044"] = "State class '{0}' has no accessible parameterless constructor; restoring state creates an empty value and sets its fields. Add 'public {1}() {{ }}'.",
        ["KAPPA045"] = "Field '{1}' ({2}) of state '{0}' is recorded in {3} but no longer declared: state already in changelogs and snapshots holds it and would be silently dropped. Add a migration '[StateMigration(\"{1}\")] static void Migrate{1}(ref {4} state, {2} oldValue)', or keep the field, or start a new processor version (a new changelog, rebuilt by replay) and accept the new shape in the lock file.",
        ["KAPPA046"] = "Field '{1}' of state '{0}' changed type from '{2}' (recorded in {3}) to '{5}': existing state holds '{2}' values that cannot be read as '{5}'. Add a migration '[StateMigration(\"{1}\")] static void Migrate{1}(ref {4} state, {2} oldValue)' that converts the old value, or start a new processor version (a new changelog, rebuilt by replay) and accept the new shape in the lock file.",
        ["KAPPA047"] = "State migration '{1}' of state '{0}' is invalid: {2}",
        ["KAPPA048"] = "The state lock file '{0}' cannot be read: {1}. Fix the file or delete it and accept the current shapes again (see docs/state.md).",
        ["KAPPA049"] = "State '{0}' (schema version {1}) is not recorded in kappa-state.lock.json as declared; add or replace its entry to lock the shape: {2}",
    };

    /// <summary>An expected error at the markup location <c>{|#n:...|}</c>; add <c>.WithArguments(...)</c> for its message.</summary>
    public static DiagnosticResult Error(string id, int location = 0) => ErrorWithoutLocation(id).WithLocation(location);

    /// <summary>An expected error without a source location (e.g. one about an additional file).</summary>
    public static DiagnosticResult ErrorWithoutLocation(string id) =>
        new DiagnosticResult(id, DiagnosticSeverity.Error).WithMessageFormat(Formats[id]);
}
