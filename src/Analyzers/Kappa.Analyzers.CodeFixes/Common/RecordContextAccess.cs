using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kappa.Analyzers.CodeFixes.Common;

/// <summary>
/// How a fix reaches the record's <c>RecordContext</c>: the name to use, and - when the handler has no context parameter
/// yet - the method to add <c>RecordContext {Name}</c> to.
/// </summary>
internal sealed class RecordContextAccess
{
    public RecordContextAccess(string name, BaseMethodDeclarationSyntax? addParameterTo)
    {
        Name = name;
        AddParameterTo = addParameterTo;
    }

    public string Name { get; }

    public BaseMethodDeclarationSyntax? AddParameterTo { get; }
}
