using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Kappa.Analyzers.Determinism;

/// <summary>
/// The user's list of banned members (KAPPA111), read from every additional file named <c>KappaBannedMembers.txt</c>.
/// One entry per line, in documentation-comment-id form, optionally followed by <c>;</c> and a reason:
/// <c>T:Company.Pricing.PriceService</c> (every member of the type), <c>N:Company.Legacy</c> (every type in the namespace),
/// <c>M:Company.Util.Clock.Read</c> (every overload), <c>M:Company.Util.Clock.Read(System.Int32)</c> (one overload),
/// <c>P:</c>/<c>F:</c>/<c>E:</c> for properties, fields and events. Lines starting with <c>#</c> or <c>//</c> are comments.
/// </summary>
internal sealed class BannedMembers
{
    public const string FileName = "KappaBannedMembers.txt";

    public static readonly BannedMembers None = new(new Dictionary<string, string>(StringComparer.Ordinal));

    // Keys: "T:Type", "N:Namespace", "M:Type.Member" (by name, any kind), or a full documentation id with parameters.
    private readonly Dictionary<string, string> _entries;

    private BannedMembers(Dictionary<string, string> entries)
    {
        _entries = entries;
    }

    public bool IsEmpty => _entries.Count == 0;

    public static BannedMembers Read(ImmutableArray<AdditionalText> files, CancellationToken cancellationToken)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (AdditionalText file in files)
        {
            if (!string.Equals(System.IO.Path.GetFileName(file.Path), FileName, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            SourceText? text = file.GetText(cancellationToken);
            if (text is null)
            {
                continue;
            }

            foreach (TextLine line in text.Lines)
            {
                string raw = line.ToString().Trim();
                if (raw.Length == 0 || raw.StartsWith("#", StringComparison.Ordinal) || raw.StartsWith("//", StringComparison.Ordinal))
                {
                    continue;
                }

                int semicolon = raw.IndexOf(';');
                string id = (semicolon >= 0 ? raw.Substring(0, semicolon) : raw).Trim();
                string reason = semicolon >= 0 ? raw.Substring(semicolon + 1).Trim() : string.Empty;
                if (id.Length < 3 || id[1] != ':')
                {
                    continue;
                }

                char kind = id[0];
                string key = kind switch
                {
                    'T' or 'N' => id,
                    'M' or 'P' or 'F' or 'E' => id.IndexOf('(') >= 0 ? "X:" + id : "M:" + id.Substring(2),
                    _ => string.Empty,
                };

                if (key.Length > 0)
                {
                    entries[key] = reason;
                }
            }
        }

        return entries.Count == 0 ? None : new BannedMembers(entries);
    }

    /// <summary>Whether <paramref name="member"/> is banned; <paramref name="reason"/> is the text after ';' (may be empty).</summary>
    public bool IsBanned(ISymbol member, TypeNames names, out string reason)
    {
        reason = string.Empty;
        if (IsEmpty)
        {
            return false;
        }

        ISymbol original = member.OriginalDefinition;
        if (original is IMethodSymbol { AssociatedSymbol: { } associated })
        {
            original = associated;
        }

        INamedTypeSymbol? type = original as INamedTypeSymbol ?? original.ContainingType;
        if (type is not null)
        {
            string typeName = names.FullName(type).Replace('+', '.');
            if (original is not INamedTypeSymbol)
            {
                string memberName = original is IMethodSymbol { MethodKind: MethodKind.Constructor } ? "#ctor" : original.Name;
                if (_entries.TryGetValue("M:" + typeName + "." + memberName, out string? byName))
                {
                    reason = byName;
                    return true;
                }

                string? docId = original.GetDocumentationCommentId();
                if (docId is not null && _entries.TryGetValue("X:" + docId, out string? exact))
                {
                    reason = exact;
                    return true;
                }
            }

            for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
            {
                if (_entries.TryGetValue("T:" + names.FullName(t).Replace('+', '.'), out string? byType))
                {
                    reason = byType;
                    return true;
                }
            }

            for (INamespaceSymbol? ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
            {
                if (_entries.TryGetValue("N:" + ns.ToDisplayString(), out string? byNamespace))
                {
                    reason = byNamespace;
                    return true;
                }
            }
        }

        return false;
    }
}
