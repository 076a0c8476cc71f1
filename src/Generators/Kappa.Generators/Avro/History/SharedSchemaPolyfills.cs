// The run-time schema model, parser, canonical form and compatibility checker (Kappa.Runtime/Avro/Schemas) are compiled
// into the generator as linked sources (see Kappa.Generators.csproj), so build-time checks use the checker that is
// cross-checked against python3-avro. This file supplies what those sources take from net10.0 and netstandard2.0 lacks:
// implicit usings and a few BCL members (C# 14 extension members, so the shared sources stay unchanged).
global using System;
global using System.Collections.Generic;
global using System.Linq;

namespace Kappa.Avro.Schemas;

internal static class SharedSchemaPolyfills
{
    extension(ArgumentNullException)
    {
        public static void ThrowIfNull(object? argument, string? paramName = null)
        {
            if (argument is null)
            {
                throw new ArgumentNullException(paramName);
            }
        }
    }

    extension(char)
    {
        public static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

        public static bool IsAsciiLetterOrDigit(char c) => char.IsAsciiLetter(c) || (c >= '0' && c <= '9');
    }

    extension(string value)
    {
        public bool Contains(char c) => value.IndexOf(c) >= 0;
    }
}
