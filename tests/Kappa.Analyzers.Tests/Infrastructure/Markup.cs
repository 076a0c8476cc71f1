using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace Kappa.Analyzers.Tests.Infrastructure;

/// <summary>
/// Parses diagnostic markup: <c>{|KAPPA101:DateTime.UtcNow|}</c> marks an expected diagnostic with its exact span.
/// Markers may nest. Returns the source without the markers and the expected (id, span) pairs.
/// </summary>
public static class Markup
{
    public static (string Source, IReadOnlyList<(string Id, TextSpan Span)> Expected) Parse(string markup)
    {
        var output = new StringBuilder(markup.Length);
        var expected = new List<(string, TextSpan)>();
        var open = new Stack<(string Id, int Start)>();
        int i = 0;
        while (i < markup.Length)
        {
            if (markup[i] == '{' && i + 1 < markup.Length && markup[i + 1] == '|')
            {
                int colon = markup.IndexOf(':', i + 2);
                if (colon < 0)
                {
                    throw new FormatException($"Markup '{{|' at offset {i} has no ':' after the diagnostic id.");
                }

                open.Push((markup.Substring(i + 2, colon - i - 2), output.Length));
                i = colon + 1;
            }
            else if (markup[i] == '|' && i + 1 < markup.Length && markup[i + 1] == '}')
            {
                if (open.Count == 0)
                {
                    throw new FormatException($"Markup '|}}' at offset {i} closes nothing.");
                }

                (string id, int start) = open.Pop();
                expected.Add((id, TextSpan.FromBounds(start, output.Length)));
                i += 2;
            }
            else
            {
                output.Append(markup[i]);
                i++;
            }
        }

        if (open.Count > 0)
        {
            throw new FormatException($"Markup for {open.Peek().Id} is never closed.");
        }

        return (output.ToString(), expected);
    }
}
