using Microsoft.CodeAnalysis;

namespace Kappa.Generators.Common;

/// <summary>[ProcessorState] diagnostics: KAPPA040-059.</summary>
internal static partial class DiagnosticDescriptors
{
    public static readonly DiagnosticDescriptor StateTypeNotPartial = Error(
        "KAPPA040",
        "State type must be partial",
        "[ProcessorState] type '{0}' must be declared partial{1} so the generator can add its serializer; add the 'partial' modifier");

    public static readonly DiagnosticDescriptor StateTypeNotSupported = Error(
        "KAPPA041",
        "State type kind not supported",
        "[ProcessorState] type '{0}' cannot be used as state: {1}");

    public static readonly DiagnosticDescriptor StateFieldTypeNotSupported = Error(
        "KAPPA042",
        "State field type not supported",
        "Field '{1}' of state '{0}' has type '{2}', which the state serializer does not support: {3}. Supported: bool, integers, float, double, decimal, string, DateTimeOffset, TimeSpan, Guid, enums, Nullable<T> of these, [ProcessorState] types, List<T>, T[] and Dictionary<string, T>.");

    public static readonly DiagnosticDescriptor StateFieldNotSettable = Error(
        "KAPPA043",
        "State field cannot be restored",
        "Member '{1}' of state '{0}' is {2}; restoring state from its changelog must set it. Make it a settable field or property (get; set;), or make it non-public to keep it out of the state.");

    public static readonly DiagnosticDescriptor StateTypeNeedsConstructor = Error(
        "KAPPA044",
        "State class needs a parameterless constructor",
        "State class '{0}' has no accessible parameterless constructor; restoring state creates an empty value and sets its fields. Add 'public {1}() {{ }}'.");

    public static readonly DiagnosticDescriptor StateFieldRemoved = Error(
        "KAPPA045",
        "State field removed without a migration",
        "Field '{1}' ({2}) of state '{0}' is recorded in {3} but no longer declared: state already in changelogs and snapshots holds it and would be silently dropped. Add a migration '[StateMigration(\"{1}\")] static void Migrate{1}(ref {4} state, {2} oldValue)', or keep the field, or start a new processor version (a new changelog, rebuilt by replay) and accept the new shape in the lock file.");

    public static readonly DiagnosticDescriptor StateFieldRetyped = Error(
        "KAPPA046",
        "State field type changed without a migration",
        "Field '{1}' of state '{0}' changed type from '{2}' (recorded in {3}) to '{5}': existing state holds '{2}' values that cannot be read as '{5}'. Add a migration '[StateMigration(\"{1}\")] static void Migrate{1}(ref {4} state, {2} oldValue)' that converts the old value, or start a new processor version (a new changelog, rebuilt by replay) and accept the new shape in the lock file.");

    public static readonly DiagnosticDescriptor StateMigrationInvalid = Error(
        "KAPPA047",
        "Invalid state migration",
        "State migration '{1}' of state '{0}' is invalid: {2}");

    public static readonly DiagnosticDescriptor StateLockFileInvalid = Error(
        "KAPPA048",
        "State lock file is invalid",
        "The state lock file '{0}' cannot be read: {1}. Fix the file or delete it and accept the current shapes again (see docs/state.md).");

    public static readonly DiagnosticDescriptor StateShapeNotLocked = new(
        "KAPPA049",
        "State shape not recorded in the lock file",
        "State '{0}' (schema version {1}) is not recorded in kappa-state.lock.json as declared; add or replace its entry to lock the shape: {2}",
        UsageCategory,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        helpLinkUri: HelpLink("KAPPA049"));
}
