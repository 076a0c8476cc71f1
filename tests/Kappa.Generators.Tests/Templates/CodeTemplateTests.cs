using Kappa.Generators.Common.Templates;

namespace Kappa.Generators.Tests.Templates;

/// <summary>The embedded Scriban templates: each parses, each is parsed once, and the shared helpers behave.</summary>
public sealed class CodeTemplateTests
{
    private const string ResourcePrefix = "Kappa.Generators.Templates.";

    [Fact]
    public void Every_embedded_template_is_a_CodeTemplate_and_parses_without_errors()
    {
        string[] resources = typeof(CodeTemplate).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".scriban-cs", StringComparison.Ordinal))
            .Select(n => n.Substring(ResourcePrefix.Length, n.Length - ResourcePrefix.Length - ".scriban-cs".Length))
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(CodeTemplate.All.Select(t => t.Name).OrderBy(n => n, StringComparer.Ordinal), resources);
        foreach (CodeTemplate template in CodeTemplate.All)
        {
            Assert.False(template.Template.HasErrors, template.Name + ": " + string.Join("; ", template.Template.Messages));
        }
    }

    [Fact]
    public void A_template_is_parsed_once_and_shared()
    {
        Assert.Same(CodeTemplate.StateLock.Template, CodeTemplate.StateLock.Template);
    }

    [Fact]
    public void Concurrent_renders_of_one_template_give_the_same_text()
    {
        string expected = CodeTemplate.StateLock.Render("{ \"a\": 1 }\n");
        string[] results = new string[16];
        Parallel.For(0, results.Length, i => results[i] = CodeTemplate.StateLock.Render("{ \"a\": 1 }\n"));

        Assert.All(results, r => Assert.Equal(expected, r));
        Assert.Contains("public const string Json = \"{ \\\"a\\\": 1 }\\n\";", expected, StringComparison.Ordinal);
    }

    [Fact]
    public void A_render_that_fails_reports_the_template_and_does_not_disturb_later_renders()
    {
        string expected = CodeTemplate.StateLock.Render("{}");

        var error = Assert.ThrowsAny<Exception>(() => CodeTemplate.ProcessorState.Render("not a state model"));
        Assert.Contains("ProcessorState.scriban-cs", error.Message, StringComparison.Ordinal);

        Assert.Equal(expected, CodeTemplate.StateLock.Render("{}"));
    }

    [Fact]
    public void Indent_pads_non_empty_lines_and_leaves_empty_lines_empty()
    {
        Assert.Equal("        a\n\n        b\n", TemplateFunctions.Indent("a\n\nb\n", 2));
        Assert.Equal("a\n", TemplateFunctions.Indent("a\n", 0));
        Assert.Equal(string.Empty, TemplateFunctions.Indent(null, 1));
    }

    [Theory]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"", "\"a\\\"b\\\\c\"")]
    [InlineData("line\nnext\r\t", "\"line\\nnext\\r\\u0009\"", "\"line\\u000anext\\u000d\\u0009\"")]
    [InlineData("caf\u00e9", "\"caf\u00e9\"", "\"caf\\u00e9\"")]
    public void Literals_escape_what_a_CSharp_string_cannot_hold(string value, string literal, string asciiLiteral)
    {
        Assert.Equal(literal, TemplateFunctions.Literal(value));
        Assert.Equal(asciiLiteral, TemplateFunctions.AsciiLiteral(value));
    }

    [Theory]
    [InlineData("int", "n0", "int[n0]")]
    [InlineData("int[]", "n0", "int[n0][]")]
    [InlineData("string?[]?", "n1", "string[n1][]")]
    [InlineData("global::System.Collections.Generic.List<int[]>", "n0", "global::System.Collections.Generic.List<int[]>[n0]")]
    public void ArrayOf_puts_the_length_in_the_first_rank(string itemType, string length, string expected)
    {
        Assert.Equal(expected, TemplateFunctions.ArrayOf(itemType, length));
    }

    [Fact]
    public void Identifier_escapes_keywords_only()
    {
        Assert.Equal("@class", TemplateFunctions.Identifier("class"));
        Assert.Equal("Name", TemplateFunctions.Identifier("Name"));
    }
}
