using Kappa.Generators.Common.Templates;
using Kappa.Generators.State.Model;

namespace Kappa.Generators.State;

public sealed partial class ProcessorStateGenerator
{
    /// <summary>
    /// Model to text through Templates/ProcessorState.scriban-cs (the IProcessorState implementation of one state type)
    /// and Templates/StateLock.scriban-cs (the lock file constant).
    /// </summary>
    internal static class Emitter
    {
        public const string LockHintName = "KappaStateLock.g.cs";

        /// <summary>The lock file content for every state type of the compilation, as a constant (docs/state.md).</summary>
        public static string EmitLock(string json) => CodeTemplate.StateLock.Render(json);

        public static string HintName(StateTypeSpec spec) => spec.Declaration.FullName + ".State.g.cs";

        public static string Emit(StateTypeSpec spec) => CodeTemplate.ProcessorState.Render(spec);
    }
}
