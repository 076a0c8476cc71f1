using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Kappa.Generators.Common;
using Kappa.Generators.Processors.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kappa.Generators.Processors;

public sealed partial class StreamProcessorGenerator
{
    /// <summary>Symbols -> <see cref="ProcessorSpec"/> and diagnostics. Nothing Roslyn-specific leaves this class.</summary>
    internal static class Parser
    {
        private const string AvroRecordInterface = "Kappa.Avro.IAvroRecord`1";

        public static ProcessorParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var diagnostics = new List<DiagnosticInfo>();
            var type = (INamedTypeSymbol)context.TargetSymbol;
            var declaration = (TypeDeclarationSyntax)context.TargetNode;
            Compilation compilation = context.SemanticModel.Compilation;
            string typeName = type.Name;
            Location typeLocation = declaration.Identifier.GetLocation();

            AttributeData attribute = context.Attributes[0];
            Location attributeLocation = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? typeLocation;
            string name = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string n ? n : string.Empty;
            int version = 1;
            foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
            {
                if (named.Key == "Version" && named.Value.Value is int v)
                {
                    version = v;
                }
            }

            bool valid = true;
            if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ProcessorNotPartial, typeLocation, typeName));
                valid = false;
            }

            string? shapeProblem =
                type.TypeKind != TypeKind.Class ? "is not a class"
                : type.ContainingType is not null ? $"is nested in '{type.ContainingType.Name}'"
                : type.IsGenericType ? "is generic"
                : type.IsStatic ? "is static"
                : type.IsAbstract ? "is abstract"
                : null;
            if (shapeProblem is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ProcessorUnsupportedDeclaration, typeLocation, typeName, shapeProblem));
                valid = false;
            }

            if (NameProblem(name) is string nameProblem)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidName, attributeLocation, "processor name", name, nameProblem));
                valid = false;
            }

            if (version < 1)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidVersion, attributeLocation, name, version.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                valid = false;
            }

            INamedTypeSymbol? consumeAttribute = compilation.GetTypeByMetadataName(KnownNames.ConsumeAttribute);
            INamedTypeSymbol? outputAttribute = compilation.GetTypeByMetadataName(KnownNames.OutputAttribute);
            INamedTypeSymbol? avroRecordAttribute = compilation.GetTypeByMetadataName(KnownNames.AvroRecordAttribute);
            INamedTypeSymbol? avroRecordInterface = compilation.GetTypeByMetadataName(AvroRecordInterface);
            INamedTypeSymbol? recordContext = compilation.GetTypeByMetadataName(KnownNames.RecordContext);
            var known = new KnownTypes(avroRecordAttribute, avroRecordInterface, recordContext, compilation)
            {
                ProcessorStateAttribute = compilation.GetTypeByMetadataName(KnownNames.ProcessorStateAttribute),
                ProcessorStateInterface = compilation.GetTypeByMetadataName(ProcessorStateInterface),
                StateStoreAttribute = compilation.GetTypeByMetadataName(StateStoreAttribute),
            };
            var stores = new List<StateStoreSpec>();
            var storeOwners = new List<string>();

            var handlers = new List<HandlerSpec>();
            var sinks = new List<SinkSpec>();
            var sinkOwners = new List<string>();
            var tables = new List<TableSinkSpec>();
            var topics = new Dictionary<string, string>(System.StringComparer.Ordinal);
            bool anyHandler = false;
            foreach (ISymbol member in type.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (member is not IMethodSymbol method || method.MethodKind != MethodKind.Ordinary)
                {
                    continue;
                }

                AttributeData? consume = FindAttribute(method, consumeAttribute);
                AttributeData? output = FindAttribute(method, outputAttribute);
                if (consume is null)
                {
                    if (output is not null)
                    {
                        string orphanSink = output.ConstructorArguments.Length == 1 && output.ConstructorArguments[0].Value is string os ? os : string.Empty;
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OutputWithoutConsume, method.Locations.FirstOrDefault() ?? typeLocation, typeName + "." + method.Name, orphanSink));
                        valid = false;
                    }

                    continue;
                }

                anyHandler = true;
                string handlerName = typeName + "." + method.Name;
                Location methodLocation = method.Locations.FirstOrDefault() ?? typeLocation;
                Location consumeLocation = consume.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? methodLocation;
                string topic = consume.ConstructorArguments.Length == 1 && consume.ConstructorArguments[0].Value is string t ? t : string.Empty;
                string? sink = output is not null && output.ConstructorArguments.Length == 1 && output.ConstructorArguments[0].Value is string s ? s : (output is null ? null : string.Empty);
                Location outputLocation = output?.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? methodLocation;

                bool handlerValid = true;
                if (NameProblem(topic) is string topicProblem)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidName, consumeLocation, "input topic", topic, topicProblem));
                    handlerValid = false;
                }
                else if (topics.TryGetValue(topic, out string? firstHandler))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateTopicHandler, consumeLocation, firstHandler, handlerName, topic));
                    handlerValid = false;
                }
                else
                {
                    topics.Add(topic, handlerName);
                }

                if (sink is not null && NameProblem(sink) is string sinkProblem)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidName, outputLocation, "sink", sink, sinkProblem));
                    handlerValid = false;
                }

                bool inputFramed = false;
                if (ValueFormatOf(consume) is not int inputFormat)
                {
                    handlerValid = false;
                }
                else if (inputFormat is not (ValueFormatAvro or ValueFormatConfluentAvro))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidValueFormat, consumeLocation, handlerName, $"declares the unknown value format {inputFormat} on [Consume(\"{topic}\")]; use ValueFormat.Avro or ValueFormat.ConfluentAvro"));
                    handlerValid = false;
                }
                else
                {
                    inputFramed = inputFormat == ValueFormatConfluentAvro;
                }

                SinkSpec? sinkSpec = sink is null || output is null ? null : ParseSink(output, sink, handlerName, outputLocation, diagnostics);
                if (sink is not null && sinkSpec is null)
                {
                    handlerValid = false;
                }

                HandlerSpec? handler = ParseHandler(method, handlerName, topic, sink, methodLocation, outputLocation, known, diagnostics);
                if (handler is not null)
                {
                    handler = handler with { InputFramed = inputFramed };
                }

                if (handler?.OutputType is not null && sink is not null && ServingTableOutput(method.ReturnType, known.Compilation) is { } table)
                {
                    if (version >= 1 && NameProblem(sink) is null && TableNameProblem(sink, name, version) is { } tooLong)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TableNameTooLong, outputLocation, tooLong));
                        handlerValid = false;
                    }
                    else if (!tables.Any(t => t.Sink == sink))
                    {
                        tables.Add(new TableSinkSpec(sink, TypeRef.From(table)));
                    }
                }

                if (handler is null || !handlerValid)
                {
                    valid = false;
                    continue;
                }

                if (handler.State is { } state)
                {
                    int storeIndex = stores.FindIndex(st => st.Name == state.StoreName);
                    if (storeIndex < 0)
                    {
                        storeIndex = stores.Count;
                        stores.Add(new StateStoreSpec(state.StoreName, state.StateType));
                        storeOwners.Add(handlerName);
                    }
                    else if (stores[storeIndex].StateType != state.StateType)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.StoreStateTypeConflict, methodLocation, storeOwners[storeIndex], handlerName, state.StoreName, Display(stores[storeIndex].StateType), Display(state.StateType)));
                        valid = false;
                        continue;
                    }

                    handler = handler with { State = state with { StoreIndex = storeIndex } };
                }

                if (handler.Shape != OutputShape.None)
                {
                    int index = sinks.FindIndex(k => k.Name == sink);
                    if (index < 0)
                    {
                        index = sinks.Count;
                        sinks.Add(sinkSpec!);
                        sinkOwners.Add(handlerName);
                    }
                    else if (sinks[index] != sinkSpec)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidValueFormat, outputLocation, handlerName, $"writes sink '{sink}' as {Describe(sinkSpec!)}, but the handler '{sinkOwners[index]}' writes it as {Describe(sinks[index])}; every handler writing one sink must declare the same Format and SubjectNameStrategy on [Output]"));
                        valid = false;
                        continue;
                    }

                    handler = handler with { SinkIndex = index };
                }

                handlers.Add(handler);
            }

            if (!anyHandler)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ProcessorHasNoHandler, typeLocation, typeName));
                valid = false;
            }

            EquatableArray<ConstructorParameterSpec>? constructor = shapeProblem is null ? FindConstructor(type) : EquatableArray<ConstructorParameterSpec>.Empty;
            if (constructor is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ProcessorNoConstructor, typeLocation, typeName));
                valid = false;
            }

            ProcessorIdentity? identity = NameProblem(name) is null && version >= 1
                ? new ProcessorIdentity(name, version, type.ToDisplayString(), LocationInfo.From(attributeLocation))
                : null;

            ProcessorSpec? spec = valid
                ? new ProcessorSpec(
                    type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
                    typeName,
                    TypeRef.From(type),
                    type.IsRecord ? "record" : "class",
                    type.DeclaredAccessibility == Accessibility.Public,
                    name,
                    version,
                    constructor!.Value,
                    handlers.ToEquatableArray(),
                    sinks.ToEquatableArray(),
                    stores.ToEquatableArray(),
                    tables.ToEquatableArray())
                : null;
            return new ProcessorParseResult(spec, identity, diagnostics.ToEquatableArray());
        }

        private const int ValueFormatAvro = 0;
        private const int ValueFormatConfluentAvro = 1;
        private static readonly string[] SubjectStrategies = { "Topic", "Record", "TopicRecord" };

        /// <summary>The attribute's <c>Format</c> (0 when not set), or null when its value is not a constant (a compile error already).</summary>
        private static int? ValueFormatOf(AttributeData attribute) => NamedInt(attribute, "Format");

        private static int? NamedInt(AttributeData attribute, string name)
        {
            foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
            {
                if (argument.Key == name)
                {
                    return argument.Value.Value is int value ? value : null;
                }
            }

            return 0;
        }

        /// <summary>The sink of an [Output] with its format and subject strategy, or null (with KAPPA039) when either is unknown.</summary>
        private static SinkSpec? ParseSink(AttributeData output, string sink, string handlerName, Location outputLocation, List<DiagnosticInfo> diagnostics)
        {
            if (ValueFormatOf(output) is not int format || NamedInt(output, "SubjectNameStrategy") is not int strategy)
            {
                return null;
            }

            if (format is not (ValueFormatAvro or ValueFormatConfluentAvro))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidValueFormat, outputLocation, handlerName, $"declares the unknown value format {format} on [Output(\"{sink}\")]; use ValueFormat.Avro or ValueFormat.ConfluentAvro"));
                return null;
            }

            if (strategy < 0 || strategy >= SubjectStrategies.Length)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidValueFormat, outputLocation, handlerName, $"declares the unknown subject name strategy {strategy} on [Output(\"{sink}\")]; use SubjectNameStrategy.Topic, Record or TopicRecord"));
                return null;
            }

            bool framed = format == ValueFormatConfluentAvro;
            return new SinkSpec(sink, framed, framed ? SubjectStrategies[strategy] : SubjectStrategies[0]);
        }

        private static string Describe(SinkSpec sink) => sink.Framed ? "ValueFormat.ConfluentAvro with SubjectNameStrategy." + sink.SubjectStrategy : "ValueFormat.Avro";

        /// <summary>
        /// For a method marked [Consume] or [Output]: a KAPPA034 diagnostic when its class is not a [StreamProcessor]
        /// (the processor pipeline checks methods inside processors).
        /// </summary>
        public static EquatableArray<DiagnosticInfo> ParseStrayHandler(GeneratorAttributeSyntaxContext context, string attributeName, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (context.TargetSymbol is not IMethodSymbol method || method.ContainingType is not INamedTypeSymbol type)
            {
                return EquatableArray<DiagnosticInfo>.Empty;
            }

            INamedTypeSymbol? processorAttribute = context.SemanticModel.Compilation.GetTypeByMetadataName(KnownNames.StreamProcessorAttribute);
            if (FindAttribute(type, processorAttribute) is not null)
            {
                return EquatableArray<DiagnosticInfo>.Empty;
            }

            // A method with both attributes is reported once, for [Consume].
            if (attributeName == "Output" && FindAttribute(method, context.SemanticModel.Compilation.GetTypeByMetadataName(KnownNames.ConsumeAttribute)) is not null)
            {
                return EquatableArray<DiagnosticInfo>.Empty;
            }

            Location location = method.Locations.FirstOrDefault() ?? context.TargetNode.GetLocation();
            return new[] { DiagnosticInfo.Create(DiagnosticDescriptors.HandlerOutsideProcessor, location, type.Name + "." + method.Name, attributeName, type.Name) }.ToEquatableArray();
        }

        /// <summary>Reports the second and later declarations of one name + version, ordered by location for stable output.</summary>
        public static EquatableArray<DiagnosticInfo> FindDuplicates(ImmutableArray<ProcessorIdentity> identities)
        {
            var result = new List<DiagnosticInfo>();
            foreach (IGrouping<(string Name, int Version), ProcessorIdentity> group in identities.GroupBy(i => (i.Name, i.Version)))
            {
                List<ProcessorIdentity> ordered = group
                    .OrderBy(i => i.Location?.FilePath ?? string.Empty, System.StringComparer.Ordinal)
                    .ThenBy(i => i.Location?.TextSpan.Start ?? 0)
                    .ThenBy(i => i.TypeDisplayName, System.StringComparer.Ordinal)
                    .ToList();
                for (int i = 1; i < ordered.Count; i++)
                {
                    ProcessorIdentity duplicate = ordered[i];
                    result.Add(new DiagnosticInfo(
                        DiagnosticDescriptors.DuplicateProcessor,
                        duplicate.Location,
                        new[] { duplicate.TypeDisplayName, duplicate.Name, duplicate.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), ordered[0].TypeDisplayName }.ToEquatableArray()));
                }
            }

            return result.ToEquatableArray();
        }

        /// <summary>The same rule as Kappa.Naming.KappaNames.ValidateName (which the generator cannot reference): null when valid.</summary>
        public static string? NameProblem(string name)
        {
            if (string.IsNullOrEmpty(name))
            {
                return "it must not be empty";
            }

            if (name.Length > 200)
            {
                return $"it is {name.Length} characters long; at most 200 are allowed so that versioned topic names stay within Kafka's 249-character limit";
            }

            foreach (char c in name)
            {
                bool ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-';
                if (!ok)
                {
                    return $"it contains '{c}'; Kafka topic and group names allow only ASCII letters, digits, '.', '_' and '-'";
                }
            }

            return null;
        }

        /// <summary>The handler's output record type when it is a [ServingTable] type (its sink is materialized), else null.</summary>
        private static ITypeSymbol? ServingTableOutput(ITypeSymbol returnType, Compilation compilation)
        {
            ITypeSymbol element = Classify(returnType, compilation).Element;
            if (element is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                element = nullable.TypeArguments[0];
            }

            return element.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownNames.ServingTableAttribute)
                ? element.WithNullableAnnotation(NullableAnnotation.NotAnnotated)
                : null;
        }

        /// <summary>
        /// The message arguments of KAPPA069 when the versioned table name of a [ServingTable] sink (<c>{sink}_v{N}</c>, as
        /// KappaNames.Table forms it) is longer than the 63 characters databases keep; else null.
        /// </summary>
        private static string[]? TableNameProblem(string sink, string processor, int version)
        {
            string table = sink.Replace('-', '_').Replace('.', '_') + "_v" + version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return table.Length <= 63
                ? null
                : new[] { sink, processor, version.ToString(System.Globalization.CultureInfo.InvariantCulture), table, table.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        }

        private static HandlerSpec? ParseHandler(
            IMethodSymbol method,
            string handlerName,
            string topic,
            string? sink,
            Location methodLocation,
            Location outputLocation,
            KnownTypes known,
            List<DiagnosticInfo> diagnostics)
        {
            string? asyncReason = AsyncReason(method);
            if (asyncReason is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HandlerAsync, methodLocation, handlerName, asyncReason));
                return null;
            }

            int count = method.Parameters.Length;
            string? problem =
                method.IsGenericMethod ? "is generic"
                : method.ReturnsByRef || method.ReturnsByRefReadonly ? "returns by reference"
                : count is 0 or > 3 ? $"has {count} parameters"
                : null;

            // Shapes: (value), (value, ctx), (value, ref state), (value, ref state, ctx).
            IParameterSymbol? stateParameter = null;
            bool hasContext = false;
            if (problem is null && IsRecordContext(method.Parameters[0].Type, known))
            {
                problem = "takes RecordContext as its first parameter; the record value comes first";
            }

            if (problem is null && count >= 2)
            {
                if (IsRecordContext(method.Parameters[1].Type, known))
                {
                    hasContext = true;
                    if (count == 3)
                    {
                        problem = "takes a third parameter after its RecordContext; the shapes are (value), (value, ctx), (value, ref state) and (value, ref state, ctx)";
                    }
                }
                else
                {
                    stateParameter = method.Parameters[1];
                    if (count == 3)
                    {
                        if (IsRecordContext(method.Parameters[2].Type, known))
                        {
                            hasContext = true;
                        }
                        else
                        {
                            problem = $"takes '{method.Parameters[2].Type.ToDisplayString()}' as its third parameter, which must be Kappa.RecordContext";
                        }
                    }
                }
            }

            if (problem is null)
            {
                foreach (IParameterSymbol parameter in method.Parameters)
                {
                    if (parameter.IsParams)
                    {
                        problem = $"declares parameter '{parameter.Name}' as params";
                        break;
                    }

                    if (!SymbolEqualityComparer.Default.Equals(parameter, stateParameter) && parameter.RefKind is not (RefKind.None or RefKind.In))
                    {
                        problem = $"declares parameter '{parameter.Name}' as {RefKindText(parameter.RefKind)}; pass values by value or 'in'";
                        break;
                    }
                }
            }

            if (problem is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HandlerBadSignature, methodLocation, handlerName, problem));
                return null;
            }

            StateParameterSpec? state = null;
            if (stateParameter is not null)
            {
                state = ParseState(stateParameter, handlerName, methodLocation, known, diagnostics);
                if (state is null)
                {
                    return null;
                }
            }

            ITypeSymbol input = method.Parameters[0].Type;
            bool valid = true;
            if (!IsAvroRecord(input, known))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HandlerInputNotAvroRecord, method.Parameters[0].Locations.FirstOrDefault() ?? methodLocation, handlerName, input.ToDisplayString()));
                valid = false;
            }

            if (method.ReturnsVoid)
            {
                if (sink is not null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OutputOnVoidHandler, outputLocation, handlerName, sink));
                    return null;
                }

                return valid ? new HandlerSpec(method.Name, method.IsStatic, topic, TypeRef.From(input), hasContext, OutputShape.None, null, false, -1, state) : null;
            }

            ITypeSymbol returnType = method.ReturnType;
            (OutputShape shape, ITypeSymbol element) = Classify(returnType, known.Compilation);
            bool nullableValue = false;
            if (element is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                element = nullable.TypeArguments[0];
                nullableValue = true;
            }

            if (!IsAvroRecord(element, known))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HandlerOutputNotAvroRecord, methodLocation, handlerName, returnType.ToDisplayString(), element.ToDisplayString()));
                valid = false;
            }

            if (sink is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HandlerMissingOutput, methodLocation, handlerName, returnType.ToDisplayString()));
                valid = false;
            }

            return valid
                ? new HandlerSpec(method.Name, method.IsStatic, topic, TypeRef.From(input), hasContext, shape, TypeRef.From(element.WithNullableAnnotation(NullableAnnotation.NotAnnotated)), nullableValue, -1, state)
                : null;
        }

        private static (OutputShape Shape, ITypeSymbol Element) Classify(ITypeSymbol type, Compilation compilation)
        {
            if (type is IArrayTypeSymbol { Rank: 1 } array)
            {
                return (OutputShape.Array, array.ElementType);
            }

            if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named && type.SpecialType != SpecialType.System_String)
            {
                string definition = named.OriginalDefinition.ToDisplayString();
                switch (definition)
                {
                    case "System.Collections.Generic.List<T>":
                        return (OutputShape.List, named.TypeArguments[0]);
                    case "System.Collections.Generic.IReadOnlyList<T>":
                    case "System.Collections.Generic.IList<T>":
                        return (OutputShape.IndexedList, named.TypeArguments[0]);
                    case "System.Collections.Generic.IEnumerable<T>":
                    case "System.Collections.Generic.IReadOnlyCollection<T>":
                    case "System.Collections.Generic.ICollection<T>":
                        return (OutputShape.Enumerable, named.TypeArguments[0]);
                }
            }

            return (OutputShape.Single, type);
        }

        private static string? AsyncReason(IMethodSymbol method)
        {
            if (method.IsAsync)
            {
                return "declared async";
            }

            string definition = method.ReturnType.OriginalDefinition.ToDisplayString();
            return definition switch
            {
                "System.Threading.Tasks.Task" or "System.Threading.Tasks.Task<TResult>" => "returns a Task",
                "System.Threading.Tasks.ValueTask" or "System.Threading.Tasks.ValueTask<TResult>" => "returns a ValueTask",
                "System.Collections.Generic.IAsyncEnumerable<T>" => "returns an IAsyncEnumerable",
                _ => null,
            };
        }

        private static bool IsRecordContext(ITypeSymbol type, KnownTypes known) =>
            known.RecordContext is not null && SymbolEqualityComparer.Default.Equals(type, known.RecordContext);

        /// <summary>
        /// An Avro record either implements IAvroRecord&lt;itself&gt; already or carries [AvroRecord], in which case the Avro
        /// generator adds the interface in the same compilation (generators do not see each other's output).
        /// </summary>
        private const string ProcessorStateInterface = "Kappa.State.IProcessorState`1";

        private const string StateStoreAttribute = "Kappa.State.StateStoreAttribute";

        /// <summary>
        /// A handler's state parameter: <c>ref T</c> (created with its defaults when the key has none) or <c>ref T?</c>
        /// (null when the key has none; set to null to delete the key's state), T a [ProcessorState] type.
        /// </summary>
        private static StateParameterSpec? ParseState(IParameterSymbol parameter, string handlerName, Location methodLocation, KnownTypes known, List<DiagnosticInfo> diagnostics)
        {
            Location location = parameter.Locations.FirstOrDefault() ?? methodLocation;
            ITypeSymbol type = parameter.Type;
            bool nullable = false;
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullableValue)
            {
                type = nullableValue.TypeArguments[0];
                nullable = true;
            }
            else if (type.IsReferenceType && type.NullableAnnotation == NullableAnnotation.Annotated)
            {
                nullable = true;
            }

            ITypeSymbol plain = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
            if (!IsProcessorState(plain, known))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HandlerStateNotProcessorState, location, handlerName, parameter.Type.ToDisplayString(), parameter.Name));
                return null;
            }

            if (parameter.RefKind != RefKind.Ref)
            {
                string how = parameter.RefKind == RefKind.None ? "by value" : "as " + RefKindText(parameter.RefKind);
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HandlerStateNotByRef, location, handlerName, parameter.Name, how, parameter.Type.ToDisplayString()));
                return null;
            }

            string storeName = parameter.Name;
            Location nameLocation = location;
            if (known.StateStoreAttribute is not null && FindAttribute(parameter, known.StateStoreAttribute) is { } storeAttribute)
            {
                storeName = storeAttribute.ConstructorArguments.Length == 1 && storeAttribute.ConstructorArguments[0].Value is string n ? n : string.Empty;
                nameLocation = storeAttribute.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? location;
            }

            if (NameProblem(storeName) is string storeProblem)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidName, nameLocation, "state store", storeName, storeProblem));
                return null;
            }

            return new StateParameterSpec(storeName, -1, TypeRef.From(plain), nullable);
        }

        /// <summary>[ProcessorState] (the state generator adds the interface; generators do not see each other's output) or IProcessorState&lt;itself&gt;.</summary>
        private static bool IsProcessorState(ITypeSymbol type, KnownTypes known)
        {
            if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct))
            {
                return false;
            }

            if (known.ProcessorStateAttribute is not null && FindAttribute(type, known.ProcessorStateAttribute) is not null)
            {
                return true;
            }

            if (known.ProcessorStateInterface is null)
            {
                return false;
            }

            foreach (INamedTypeSymbol implemented in type.AllInterfaces)
            {
                if (SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, known.ProcessorStateInterface)
                    && SymbolEqualityComparer.Default.Equals(implemented.TypeArguments[0], type))
                {
                    return true;
                }
            }

            return false;
        }

        private static string Display(TypeRef type) =>
            type.FullyQualifiedName.StartsWith("global::", System.StringComparison.Ordinal) ? type.FullyQualifiedName.Substring(8) : type.FullyQualifiedName;

        private static bool IsAvroRecord(ITypeSymbol type, KnownTypes known)
        {
            if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct))
            {
                return false;
            }

            ITypeSymbol plain = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
            if (known.AvroRecordAttribute is not null && FindAttribute(plain, known.AvroRecordAttribute) is not null)
            {
                return true;
            }

            if (known.AvroRecordInterface is null)
            {
                return false;
            }

            foreach (INamedTypeSymbol implemented in plain.AllInterfaces)
            {
                if (SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, known.AvroRecordInterface)
                    && SymbolEqualityComparer.Default.Equals(implemented.TypeArguments[0], plain))
                {
                    return true;
                }
            }

            return false;
        }

        private static EquatableArray<ConstructorParameterSpec>? FindConstructor(INamedTypeSymbol type)
        {
            IMethodSymbol? best = null;
            foreach (IMethodSymbol constructor in type.InstanceConstructors)
            {
                if (constructor.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal)
                    || constructor.Parameters.Any(p => p.RefKind != RefKind.None || p.IsParams))
                {
                    continue;
                }

                if (best is null || constructor.Parameters.Length > best.Parameters.Length)
                {
                    best = constructor;
                }
            }

            if (best is null)
            {
                return null;
            }

            return best.Parameters
                .Select(p => new ConstructorParameterSpec(
                    TypeRef.From(p.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated)),
                    p.NullableAnnotation == NullableAnnotation.Annotated && !p.Type.IsValueType))
                .ToEquatableArray();
        }

        private static AttributeData? FindAttribute(ISymbol symbol, INamedTypeSymbol? attributeType)
        {
            if (attributeType is null)
            {
                return null;
            }

            foreach (AttributeData attribute in symbol.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
                {
                    return attribute;
                }
            }

            return null;
        }

        private static string RefKindText(RefKind kind) => kind switch
        {
            RefKind.Ref => "ref",
            RefKind.Out => "out",
            RefKind.In => "in",
            _ => "ref readonly",
        };

        private sealed class KnownTypes
        {
            public KnownTypes(INamedTypeSymbol? avroRecordAttribute, INamedTypeSymbol? avroRecordInterface, INamedTypeSymbol? recordContext, Compilation compilation)
            {
                AvroRecordAttribute = avroRecordAttribute;
                AvroRecordInterface = avroRecordInterface;
                RecordContext = recordContext;
                Compilation = compilation;
            }

            public INamedTypeSymbol? AvroRecordAttribute { get; }

            public INamedTypeSymbol? ProcessorStateAttribute { get; init; }

            public INamedTypeSymbol? ProcessorStateInterface { get; init; }

            public INamedTypeSymbol? StateStoreAttribute { get; init; }

            public INamedTypeSymbol? AvroRecordInterface { get; }

            public INamedTypeSymbol? RecordContext { get; }

            public Compilation Compilation { get; }
        }
    }
}
