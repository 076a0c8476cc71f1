namespace Kappa.Analyzers.Tests.Infrastructure;

/// <summary>Builds a processor around a handler body, so each test shows only what it is about.</summary>
public static class Sources
{
    public static string Processor(string handlerBody, string members = "", string outside = "", string returnType = "object?") => $$"""
        [StreamProcessor("orders", Version = 1)]
        public partial class Orders
        {
            [Consume("orders-in")]
            public {{returnType}} Handle(string value, RecordContext ctx)
            {
        {{handlerBody}}
            }
        {{members}}
        }
        {{outside}}
        """;
}
