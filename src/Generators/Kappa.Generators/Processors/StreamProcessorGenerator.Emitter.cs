using Kappa.Generators.Common.Templates;
using Kappa.Generators.Processors.Model;
using Microsoft.CodeAnalysis;

namespace Kappa.Generators.Processors;

public sealed partial class StreamProcessorGenerator
{
    /// <summary>
    /// <see cref="ProcessorSpec"/> -> C# text through the templates Templates/Processor.scriban-cs and
    /// Templates/ProcessorRegistration.scriban-cs. Output is byte-stable: ordinal order, fixed header, \n newlines.
    /// </summary>
    internal static class Emitter
    {
        public static void Emit(SourceProductionContext context, ProcessorSpec spec)
        {
            context.AddSource(spec.HintPrefix + ".Processor.g.cs", EmitProcessor(spec));
            context.AddSource(spec.HintPrefix + ".Registration.g.cs", EmitRegistration(spec));
        }

        public static string EmitProcessor(ProcessorSpec spec) => CodeTemplate.Processor.Render(spec);

        public static string EmitRegistration(ProcessorSpec spec) => CodeTemplate.ProcessorRegistration.Render(spec);
    }
}
