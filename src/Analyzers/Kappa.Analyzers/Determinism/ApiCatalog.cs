using System.Collections.Generic;
using Kappa.Analyzers.Common;
using Microsoft.CodeAnalysis;

namespace Kappa.Analyzers.Determinism;

/// <summary>
/// The framework members each rule matches, keyed by the containing type's full metadata name. Matching is by symbol
/// (type name + member name), never by text. The types that expose process, runtime and machine state are classified
/// member by member in <see cref="RuntimeEnvironmentCatalog"/> instead. Members whose verdict depends on arguments or on how the result is used
/// (seeded Random, ConfigureAwait, AsParallel, culture overloads, hash collections, reflection order) are handled in
/// <see cref="MethodSummaryBuilder"/>.
/// </summary>
internal static class ApiCatalog
{
    private static readonly Dictionary<string, TypeRule> Types = Build();

    private static readonly Dictionary<string, DiagnosticDescriptor> Namespaces = new()
    {
        ["System.Net.Sockets"] = DiagnosticDescriptors.ExternalIo,
        ["System.Net.NetworkInformation"] = DiagnosticDescriptors.ExternalIo,
        ["System.IO.Pipes"] = DiagnosticDescriptors.ExternalIo,
        ["System.Net.Mail"] = DiagnosticDescriptors.ExternalIo,
        ["System.Data.SqlClient"] = DiagnosticDescriptors.ExternalIo,
        ["Microsoft.Data.SqlClient"] = DiagnosticDescriptors.ExternalIo,
        ["Microsoft.Data.Sqlite"] = DiagnosticDescriptors.ExternalIo,
        ["Npgsql"] = DiagnosticDescriptors.ExternalIo,
        ["Confluent.Kafka"] = DiagnosticDescriptors.ExternalIo,
    };

    /// <summary>Types whose members never count as I/O even though they derive from a type that does.</summary>
    private static readonly HashSet<string> ExemptTypes = new()
    {
        "System.IO.MemoryStream",
        "System.IO.UnmanagedMemoryStream",
    };

    /// <summary>
    /// Finds the rule for <paramref name="member"/> as reached through a receiver of static type <paramref name="receiverType"/>
    /// (null for static members).
    /// </summary>
    public static DiagnosticDescriptor? Match(ISymbol member, ITypeSymbol? receiverType, TypeNames names)
    {
        INamedTypeSymbol? declaring = member.ContainingType?.OriginalDefinition;
        if (declaring is null)
        {
            return null;
        }

        string memberName = member is IMethodSymbol { MethodKind: MethodKind.Constructor } ? ".ctor" : member.Name;
        bool declaringVisited = false;
        for (ITypeSymbol? t = receiverType as INamedTypeSymbol ?? declaring; t is not null; t = t.BaseType)
        {
            INamedTypeSymbol original = (INamedTypeSymbol)t.OriginalDefinition;
            string name = names.FullName(original);
            if (ExemptTypes.Contains(name))
            {
                return null;
            }

            bool isDeclaring = SymbolEqualityComparer.Default.Equals(original, declaring);
            declaringVisited |= isDeclaring;
            if (Types.TryGetValue(name, out TypeRule? rule) && (isDeclaring || rule.IncludeDerived) && rule.TryMatch(memberName, out DiagnosticDescriptor? d))
            {
                return d;
            }

            if (isDeclaring)
            {
                break;
            }
        }

        if (!declaringVisited && Types.TryGetValue(names.FullName(declaring), out TypeRule? own) && own.TryMatch(memberName, out DiagnosticDescriptor? ownMatch))
        {
            return ownMatch;
        }

        // Derived-type rules for members declared on an interface or a base we did not walk (e.g. Stream members of a FileStream field typed as Stream).
        for (INamedTypeSymbol? b = declaring.BaseType; b is not null; b = b.BaseType)
        {
            string name = names.FullName(b.OriginalDefinition);
            if (ExemptTypes.Contains(name))
            {
                return null;
            }

            if (Types.TryGetValue(name, out TypeRule? rule) && rule.IncludeDerived && rule.TryMatch(memberName, out DiagnosticDescriptor? d))
            {
                return d;
            }
        }

        string ns = names.Namespace(declaring);
        foreach (KeyValuePair<string, DiagnosticDescriptor> entry in Namespaces)
        {
            if (ns == entry.Key || ns.StartsWith(entry.Key + ".", System.StringComparison.Ordinal))
            {
                return entry.Value;
            }
        }

        return null;
    }

    private static Dictionary<string, TypeRule> Build()
    {
        var types = new Dictionary<string, TypeRule>();

        TypeRule Type(string name, DiagnosticDescriptor? all = null, bool derived = false)
        {
            if (!types.TryGetValue(name, out TypeRule? rule))
            {
                rule = new TypeRule(all, derived);
                types.Add(name, rule);
            }
            else
            {
                rule.AllMembers ??= all;
                rule.IncludeDerived |= derived;
            }

            return rule;
        }

        void Members(string type, DiagnosticDescriptor d, params string[] members)
        {
            TypeRule rule = Type(type);
            foreach (string m in members)
            {
                rule.Members[m] = d;
            }
        }

        // KAPPA101 wall clock
        Members("System.DateTime", DiagnosticDescriptors.WallClock, "Now", "UtcNow", "Today");
        Members("System.DateTimeOffset", DiagnosticDescriptors.WallClock, "Now", "UtcNow");
        Type("System.TimeProvider", derived: true);
        Members("System.TimeProvider", DiagnosticDescriptors.WallClock, "System", "GetUtcNow", "GetLocalNow", "GetTimestamp", "GetElapsedTime");
        Members("System.TimeProvider", DiagnosticDescriptors.Culture, "LocalTimeZone");

        // KAPPA102 random values and ids (new Random() is decided by arguments in the builder)
        Members("System.Guid", DiagnosticDescriptors.RandomValues, "NewGuid", "CreateVersion7");
        Members("System.Random", DiagnosticDescriptors.RandomValues, "Shared");
        Type("System.Security.Cryptography.RandomNumberGenerator", DiagnosticDescriptors.RandomValues, derived: true);
        Members("System.IO.Path", DiagnosticDescriptors.RandomValues, "GetRandomFileName", "GetTempFileName");

        // KAPPA104 timers and sleeps (CancellationTokenSource constructors are decided by arguments)
        Members("System.Threading.Tasks.Task", DiagnosticDescriptors.TimersAndSleeps, "Delay");
        Type("System.Threading.Timer", DiagnosticDescriptors.TimersAndSleeps);
        Type("System.Timers.Timer", DiagnosticDescriptors.TimersAndSleeps);
        Type("System.Threading.PeriodicTimer", DiagnosticDescriptors.TimersAndSleeps);
        Members("System.Threading.CancellationTokenSource", DiagnosticDescriptors.TimersAndSleeps, "CancelAfter", "TryReset");
        Members("System.TimeProvider", DiagnosticDescriptors.TimersAndSleeps, "CreateTimer", "Delay", "CreateCancellationTokenSource");

        // KAPPA105 concurrency (AsParallel and ConfigureAwait are decided in the builder)
        Members("System.Threading.Tasks.Task", DiagnosticDescriptors.Concurrency, "Run", "ContinueWith", "Start", "Yield");
        Members("System.Threading.Tasks.Task`1", DiagnosticDescriptors.Concurrency, "ContinueWith");
        Type("System.Threading.Tasks.TaskFactory", DiagnosticDescriptors.Concurrency);
        Type("System.Threading.Tasks.TaskFactory`1", DiagnosticDescriptors.Concurrency);
        Type("System.Threading.Tasks.Parallel", DiagnosticDescriptors.Concurrency);
        Members("System.Linq.ParallelEnumerable", DiagnosticDescriptors.Concurrency, "AsUnordered", "ForAll");

        // KAPPA106 completion order
        Members("System.Threading.Tasks.Task", DiagnosticDescriptors.CompletionOrder, "WhenAny", "WaitAny", "WhenEach");
        Members("System.Threading.Tasks.TaskFactory", DiagnosticDescriptors.CompletionOrder, "ContinueWhenAny");
        Members("System.Collections.Concurrent.ConcurrentQueue`1", DiagnosticDescriptors.CompletionOrder, "TryDequeue", "TryPeek", "ToArray", "GetEnumerator");
        Members("System.Collections.Concurrent.ConcurrentStack`1", DiagnosticDescriptors.CompletionOrder, "TryPop", "TryPopRange", "TryPeek", "ToArray", "GetEnumerator");
        Members("System.Collections.Concurrent.ConcurrentBag`1", DiagnosticDescriptors.CompletionOrder, "TryTake", "TryPeek", "ToArray", "GetEnumerator");
        Members("System.Collections.Concurrent.BlockingCollection`1", DiagnosticDescriptors.CompletionOrder, "Take", "TryTake", "GetConsumingEnumerable", "ToArray", "TakeFromAny", "TryTakeFromAny");
        Type("System.Threading.Channels.ChannelReader`1", derived: true);
        Members("System.Threading.Channels.ChannelReader`1", DiagnosticDescriptors.CompletionOrder, "TryRead", "ReadAsync", "ReadAllAsync", "WaitToReadAsync", "TryPeek");

        // KAPPA108 hash codes
        Type("System.HashCode", DiagnosticDescriptors.HashCodeUse);
        Members("System.Runtime.CompilerServices.RuntimeHelpers", DiagnosticDescriptors.HashCodeUse, "GetHashCode");

        // KAPPA109 culture and time zone (formatting/parsing/comparison overloads are decided in the builder)
        Members("System.TimeZoneInfo", DiagnosticDescriptors.Culture, "Local");
        Members("System.DateTime", DiagnosticDescriptors.Culture, "ToLocalTime", "ToUniversalTime");
        Members("System.DateTimeOffset", DiagnosticDescriptors.Culture, "ToLocalTime", "LocalDateTime");
        Members("System.DateTimeKind", DiagnosticDescriptors.Culture, "Local");
        Members("System.Globalization.CultureInfo", DiagnosticDescriptors.Culture, "CurrentCulture", "CurrentUICulture", "DefaultThreadCurrentCulture", "DefaultThreadCurrentUICulture", "InstalledUICulture");
        Members("System.Globalization.NumberFormatInfo", DiagnosticDescriptors.Culture, "CurrentInfo");
        Members("System.Globalization.DateTimeFormatInfo", DiagnosticDescriptors.Culture, "CurrentInfo");
        Members("System.Globalization.RegionInfo", DiagnosticDescriptors.Culture, "CurrentRegion");
        Members("System.StringComparer", DiagnosticDescriptors.Culture, "CurrentCulture", "CurrentCultureIgnoreCase");

        // KAPPA110 environment. GC, AppContext, AppDomain, Process, Environment, RuntimeInformation, Thread, ThreadPool,
        // Stopwatch and the other runtime-state types are classified member by member in RuntimeEnvironmentCatalog.
        Type("System.Diagnostics.PerformanceCounter", DiagnosticDescriptors.EnvironmentRead);
        Type("System.Diagnostics.PerformanceCounterCategory", DiagnosticDescriptors.EnvironmentRead);
        Type("System.Diagnostics.EventLog", DiagnosticDescriptors.EnvironmentRead);
        Type("System.Configuration.ConfigurationManager", DiagnosticDescriptors.EnvironmentRead);
        Type("Microsoft.Extensions.Configuration.IConfiguration", DiagnosticDescriptors.EnvironmentRead);
        Type("Microsoft.Extensions.Configuration.IConfigurationRoot", DiagnosticDescriptors.EnvironmentRead);
        Type("Microsoft.Extensions.Configuration.IConfigurationSection", DiagnosticDescriptors.EnvironmentRead);
        Type("Microsoft.Extensions.Configuration.ConfigurationBinder", DiagnosticDescriptors.EnvironmentRead);
        Type("Microsoft.Extensions.Configuration.ConfigurationExtensions", DiagnosticDescriptors.EnvironmentRead);
        Type("Microsoft.Extensions.Options.IOptionsMonitor`1", DiagnosticDescriptors.EnvironmentRead);
        Type("Microsoft.Extensions.Options.IOptionsSnapshot`1", DiagnosticDescriptors.EnvironmentRead);

        // KAPPA111 I/O and external lookups
        foreach (string io in new[]
        {
            "System.IO.File", "System.IO.Directory", "System.IO.DriveInfo", "System.Console", "System.Net.Dns",
            "System.Data.IDbConnection", "System.Data.IDbCommand", "System.Data.IDataReader",
        })
        {
            Type(io, DiagnosticDescriptors.ExternalIo);
        }

        foreach (string io in new[]
        {
            "System.IO.FileSystemInfo", "System.IO.Stream", "System.Net.Http.HttpMessageInvoker", "System.Net.WebClient",
            "System.Net.WebRequest", "System.Net.WebResponse", "System.Data.Common.DbConnection", "System.Data.Common.DbCommand",
            "System.Data.Common.DbDataReader", "System.Data.Common.DbDataSource", "System.Data.Common.DbTransaction",
        })
        {
            Type(io, DiagnosticDescriptors.ExternalIo, derived: true);
        }

        Members("System.IO.Path", DiagnosticDescriptors.EnvironmentRead, "GetTempPath", "GetFullPath");

        // KAPPA114 reflection order (reported only when the order can reach the output, see MethodSummaryBuilder)
        Type("System.Type", derived: true);
        Members("System.Type", DiagnosticDescriptors.ReflectionOrder,
            "GetMethods", "GetProperties", "GetFields", "GetMembers", "GetEvents", "GetConstructors", "GetNestedTypes",
            "GetInterfaces", "GetDefaultMembers", "FindMembers", "FindInterfaces", "GetCustomAttributes", "GetCustomAttributesData");
        Type("System.Reflection.TypeInfo", derived: true);
        Members("System.Reflection.TypeInfo", DiagnosticDescriptors.ReflectionOrder,
            "DeclaredMembers", "DeclaredMethods", "DeclaredProperties", "DeclaredFields", "DeclaredEvents", "DeclaredConstructors",
            "DeclaredNestedTypes", "ImplementedInterfaces", "GenericTypeParameters");
        Type("System.Reflection.Assembly", derived: true);
        Members("System.Reflection.Assembly", DiagnosticDescriptors.ReflectionOrder,
            "GetTypes", "GetExportedTypes", "DefinedTypes", "ExportedTypes", "GetForwardedTypes", "GetModules", "Modules", "GetCustomAttributes", "CustomAttributes");
        Type("System.Reflection.MemberInfo", derived: true);
        Members("System.Reflection.MemberInfo", DiagnosticDescriptors.ReflectionOrder, "GetCustomAttributes", "CustomAttributes", "GetCustomAttributesData");
        Members("System.Attribute", DiagnosticDescriptors.ReflectionOrder, "GetCustomAttributes");
        Members("System.Reflection.CustomAttributeExtensions", DiagnosticDescriptors.ReflectionOrder, "GetCustomAttributes");

        // KAPPA113 floating point
        foreach (string mathType in new[] { "System.Math", "System.MathF", "System.Double", "System.Single", "System.Half" })
        {
            Members(mathType, DiagnosticDescriptors.FloatingPoint,
                "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Atan2", "Sinh", "Cosh", "Tanh", "Asinh", "Acosh", "Atanh",
                "Exp", "Exp2", "Exp10", "Log", "Log10", "Log2", "Pow", "Cbrt", "SinCos", "Hypot", "RootN", "SinPi", "CosPi", "TanPi");
        }

        return types;
    }
}
