using Kappa.Generators.Avro.Model;
using Kappa.Generators.Common.Templates;

namespace Kappa.Generators.Avro;

public sealed partial class AvroRecordGenerator
{
    /// <summary>
    /// Model to C# through Templates/AvroRecord.scriban-cs: the partial declaration implementing IAvroRecord with
    /// straight-line read and write code.
    /// </summary>
    internal static class Emitter
    {
        public static string Emit(AvroRecordSpec spec) => CodeTemplate.AvroRecord.Render(spec);
    }
}
