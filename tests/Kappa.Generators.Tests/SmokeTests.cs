using Kappa.Generators.Tests.Infrastructure;

namespace Kappa.Generators.Tests;

public class InfrastructureTests
{
    [Fact]
    public void Compilation_without_generators_reports_errors_in_user_code()
    {
        var compilation = GeneratorRunner.CreateCompilation("public class C { public void M() { int x = \"no\"; } }");
        Assert.Contains(compilation.GetDiagnostics(), d => d.Id == "CS0029");
    }
}
