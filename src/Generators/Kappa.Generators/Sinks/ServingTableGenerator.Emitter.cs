using Kappa.Generators.Common.Templates;
using Kappa.Generators.Sinks.Model;

namespace Kappa.Generators.Sinks;

public sealed partial class ServingTableGenerator
{
    /// <summary>Model to C# through Templates/ServingTable.scriban-cs.</summary>
    internal static class Emitter
    {
        public static string Emit(ServingTableSpec spec) => CodeTemplate.ServingTable.Render(spec);
    }
}
