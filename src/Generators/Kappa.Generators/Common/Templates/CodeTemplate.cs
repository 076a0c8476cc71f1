using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using Scriban;
using Scriban.Runtime;

namespace Kappa.Generators.Common.Templates;

/// <summary>
/// One kind of generated file: a Scriban template embedded as the resource <c>Kappa.Generators.Templates.{Name}.scriban-cs</c>,
/// parsed once per process on first use (thread-safe) and rendered with a pooled <see cref="TemplateContext"/> (one
/// render at a time per context; the model is pushed as fresh globals and popped after the render).
/// Templates see the model as <c>model</c> and the helpers of <see cref="TemplateFunctions"/>; every name uses Scriban's
/// default snake_case renaming (<c>model.fully_qualified_name</c>, <c>literal</c>, <c>indent</c>).
/// </summary>
internal sealed class CodeTemplate
{
    public static readonly CodeTemplate AvroRecord = new("AvroRecord");
    public static readonly CodeTemplate AvroSchemaHistory = new("AvroSchemaHistory");
    public static readonly CodeTemplate AvroResolvingDecoders = new("AvroResolvingDecoders");
    public static readonly CodeTemplate Processor = new("Processor");
    public static readonly CodeTemplate ProcessorRegistration = new("ProcessorRegistration");
    public static readonly CodeTemplate ProcessorState = new("ProcessorState");
    public static readonly CodeTemplate StateLock = new("StateLock");
    public static readonly CodeTemplate ServingTable = new("ServingTable");

    /// <summary>Every template, for tests that parse them all.</summary>
    public static readonly CodeTemplate[] All = { AvroRecord, AvroSchemaHistory, AvroResolvingDecoders, Processor, ProcessorRegistration, ProcessorState, StateLock, ServingTable };

    private const string ResourcePrefix = "Kappa.Generators.Templates.";
    private const string ResourceSuffix = ".scriban-cs";

    /// <summary>
    /// Scriban's built-in functions (<c>array</c>, <c>math</c>, ...), built once: a default TemplateContext deep-copies
    /// them on every construction. Read-only: renders share it across threads, and template assignments go to the
    /// per-render globals.
    /// </summary>
    private static readonly ScriptObject Builtins = CreateBuiltins();

    /// <summary>Idle render contexts (Template.Render clears a context's output after each render).</summary>
    private static readonly ConcurrentBag<TemplateContext> Contexts = new();

    private readonly Lazy<Template> _template;

    private CodeTemplate(string name)
    {
        Name = name;
        _template = new Lazy<Template>(() => Parse(name), System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Name { get; }

    /// <summary>The parsed template (parsed on first access, then shared).</summary>
    public Template Template => _template.Value;

    /// <summary>Renders <paramref name="model"/> (exposed to the template as <c>model</c>).</summary>
    public string Render(object model)
    {
        // A context is used by one render at a time; its per-type member accessors are kept for the next render.
        // A render that throws drops its context, so a half-unwound context is never reused.
        TemplateContext context = Contexts.TryTake(out TemplateContext? pooled) ? pooled : CreateContext();
        context.PushGlobal(new ScriptObject { ["model"] = model });
        string text = Template.Render(context);
        context.PopGlobal();
        Contexts.Add(context);
        return text;
    }

    private static TemplateContext CreateContext()
    {
        var context = new TemplateContext(Builtins)
        {
            StrictVariables = true,
            AutoIndent = false,
            LoopLimit = 0,
            RecursiveLimit = 200,
            NewLine = "\n",
        };
        context.PushGlobal(TemplateFunctions.Instance);
        return context;
    }

    private static ScriptObject CreateBuiltins()
    {
        ScriptObject builtins = TemplateContext.GetDefaultBuiltinObject();
        builtins.IsReadOnly = true;
        return builtins;
    }

    private static Template Parse(string name)
    {
        string resource = ResourcePrefix + name + ResourceSuffix;
        using Stream stream = typeof(CodeTemplate).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The generator assembly has no embedded template '{resource}'.");
        using var reader = new StreamReader(stream);
        string text = reader.ReadToEnd().Replace("\r\n", "\n");
        Template template = Template.Parse(text, resource);
        if (template.HasErrors)
        {
            throw new InvalidOperationException(
                $"Template '{resource}' does not parse: " + string.Join("; ", template.Messages.Select(m => m.ToString())));
        }

        return template;
    }
}
