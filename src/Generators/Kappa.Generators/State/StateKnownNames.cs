namespace Kappa.Generators.State;

/// <summary>Metadata names the state generator looks for, besides <c>KnownNames.ProcessorStateAttribute</c>.</summary>
internal static class StateKnownNames
{
    public const string StateMigrationAttribute = "Kappa.State.StateMigrationAttribute";
    public const string ProcessorStateInterface = "global::Kappa.State.IProcessorState";
    public const string StateWriter = "global::Kappa.State.StateWriter";
    public const string StateReader = "global::Kappa.State.StateReader";
    public const string StateWireType = "global::Kappa.State.StateWireType";
    public const string StateFormatException = "global::Kappa.State.StateFormatException";
    public const string StateSerializer = "global::Kappa.State.StateSerializer";
}
