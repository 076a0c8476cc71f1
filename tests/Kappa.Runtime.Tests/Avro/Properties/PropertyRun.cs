using System.Globalization;

namespace Kappa.Runtime.Tests.Avro.Properties;

/// <summary>
/// How many cases a CsCheck property test runs. Each test has a standard count; the environment variable
/// <c>CsCheck_Iter</c> (CsCheck's own name for it) raises it for a longer search, never lowers it (the tests' coverage
/// assertions are calibrated for the standard count). Replaying a failure needs no code change: CsCheck itself reads
/// <c>CsCheck_Seed</c> and runs that case first, and a failing Sample reports the seed of its smallest failing case
/// (docs/contributing.md, "Property tests").
/// </summary>
internal static class PropertyRun
{
    public static long Iterations(long standard)
    {
        string? configured = Environment.GetEnvironmentVariable("CsCheck_Iter");
        if (string.IsNullOrWhiteSpace(configured))
        {
            return standard;
        }

        return long.TryParse(configured, NumberStyles.None, CultureInfo.InvariantCulture, out long iterations)
            ? Math.Max(iterations, standard)
            : throw new InvalidOperationException($"CsCheck_Iter must be a whole number of iterations, not '{configured}'");
    }
}
