using Microsoft.CodeAnalysis;

namespace Kappa.Generators.Common;

/// <summary>An equatable diagnostic to report later: descriptor, location and message arguments (strings only).</summary>
public sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> MessageArgs)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] messageArgs) =>
        new(descriptor, LocationInfo.From(location), messageArgs.ToEquatableArray());

    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(Descriptor, Location?.ToLocation(), MessageArgs.ToArray<object>());
}

internal static class EnumerableExtensions
{
    public static T[] ToArray<T>(this EquatableArray<string> items)
        where T : class
    {
        var result = new T[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            result[i] = (T)(object)items[i];
        }

        return result;
    }
}
