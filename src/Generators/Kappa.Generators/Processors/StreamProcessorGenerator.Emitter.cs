using System.Globalization;
using System.Linq;
using System.Text;
using Kappa.Generators.Common;
using Kappa.Generators.Processors.Model;
using Microsoft.CodeAnalysis;

namespace Kappa.Generators.Processors;

public sealed partial class StreamProcessorGenerator
{
    /// <summary><see cref="ProcessorSpec"/> -> C# text. Output is byte-stable: ordinal order, fixed header, \n newlines.</summary>
    internal static class Emitter
    {
        private const string ConsumedRecord = "global::Kappa.Transport.ConsumedRecord";
        private const string Producer = "global::Kappa.Transport.IKappaProducer";
        private const string Descriptor = "global::Kappa.Processing.ProcessorDescriptor";
        private const string Dispatcher = "global::Kappa.Processing.IProcessorDispatcher";
        private const string GeneratedCode = "[global::System.CodeDom.Compiler.GeneratedCode(\"Kappa.Generators\", \"0.1.0\")]";

        public static void Emit(SourceProductionContext context, ProcessorSpec spec)
        {
            context.AddSource(spec.HintPrefix + ".Processor.g.cs", EmitProcessor(spec));
            context.AddSource(spec.HintPrefix + ".Registration.g.cs", EmitRegistration(spec));
        }

        public static string EmitProcessor(ProcessorSpec spec)
        {
            var w = new SourceWriter();
            w.WriteLine(SourceWriter.Header);
            OpenNamespace(w, spec);
            w.OpenBlock($"partial {spec.TypeKeyword} {spec.TypeName} : global::Kappa.Processing.IStreamProcessor<{spec.Type}>");

            w.WriteLine($"/// <summary>Processor '{spec.Name}' version {Int(spec.Version)}: group, topics and dead-letter topic, named by Kappa.Naming.KappaNames.</summary>");
            w.WriteLine($"public static {Descriptor} KappaDescriptor {{ get; }} = new {Descriptor}(");
            w.Indentation++;
            w.WriteLine($"{Str(spec.Name)},");
            w.WriteLine($"{Int(spec.Version)},");
            w.WriteLine($"new string[] {{ {string.Join(", ", spec.Handlers.Select(h => Str(h.Topic)))} }},");
            if (spec.Stores.Count == 0)
            {
                w.WriteLine(spec.Sinks.Count == 0 ? "global::System.Array.Empty<string>());" : $"new string[] {{ {string.Join(", ", spec.Sinks.Select(Str))} }});");
            }
            else
            {
                w.WriteLine(spec.Sinks.Count == 0 ? "global::System.Array.Empty<string>()," : $"new string[] {{ {string.Join(", ", spec.Sinks.Select(Str))} }},");
                w.WriteLine("new global::Kappa.State.StateStoreDescriptor[]");
                w.WriteLine("{");
                w.Indentation++;
                foreach (StateStoreSpec store in spec.Stores)
                {
                    w.WriteLine($"global::Kappa.State.StateStoreDescriptor.Create<{store.StateType}>({Str(spec.Name)}, {Int(spec.Version)}, {Str(store.Name)}),");
                }

                w.Indentation--;
                w.WriteLine("});");
            }

            w.Indentation--;
            w.WriteLine();
            w.WriteLine("/// <summary>Creates the dispatcher that runs this processor's handlers on consumed records.</summary>");
            w.WriteLine($"public static {Dispatcher} CreateKappaDispatcher({spec.Type} processor) => new KappaDispatcher(processor);");
            w.WriteLine();
            EmitDispatcher(w, spec);
            w.CloseBlock();
            CloseNamespace(w, spec);
            return w.ToString();
        }

        private static void EmitDispatcher(SourceWriter w, ProcessorSpec spec)
        {
            w.WriteLine(GeneratedCode);
            w.OpenBlock($"private sealed class KappaDispatcher : {Dispatcher}");
            for (int i = 0; i < spec.Sinks.Count; i++)
            {
                w.WriteLine($"private static readonly string Output{Int(i)} = global::Kappa.Naming.KappaNames.OutputTopic({Str(spec.Sinks[i])}, {Int(spec.Version)});");
            }

            w.WriteLine($"private readonly {spec.Type} _processor;");
            w.WriteLine("private readonly global::Kappa.Buffers.PooledBufferWriter _buffer = new global::Kappa.Buffers.PooledBufferWriter(256);");
            if (spec.Stores.Count > 0)
            {
                w.WriteLine("private global::Kappa.State.StateStoreSet? _state;");
            }

            w.WriteLine();
            w.OpenBlock($"public KappaDispatcher({spec.Type} processor)");
            w.WriteLine("_processor = processor ?? throw new global::System.ArgumentNullException(nameof(processor));");
            w.CloseBlock();
            w.WriteLine();
            w.WriteLine($"public {Descriptor} Descriptor => KappaDescriptor;");
            w.WriteLine();
            w.OpenBlock($"public int Dispatch(in {ConsumedRecord} record, {Producer} producer)");
            w.OpenBlock("switch (record.Topic)");
            for (int i = 0; i < spec.Handlers.Count; i++)
            {
                w.WriteLine($"case {Str(spec.Handlers[i].Topic)}:");
                w.Indentation++;
                w.WriteLine($"return Handle{Int(i)}(in record, producer);");
                w.Indentation--;
            }

            string consumed = string.Join(", ", spec.Handlers.Select(h => h.Topic));
            string id = spec.Name + ".v" + Int(spec.Version);
            w.WriteLine("default:");
            w.Indentation++;
            w.WriteLine($"throw new global::System.ArgumentException({Str($"Processor {id} has no handler for topic '")} + record.Topic + {Str($"'; it consumes: {consumed}.")}, nameof(record));");
            w.Indentation--;
            w.CloseBlock();
            w.CloseBlock();
            w.WriteLine();
            w.WriteLine("public void Dispose() => _buffer.Dispose();");
            if (spec.Stores.Count > 0)
            {
                w.WriteLine();
                w.WriteLine("public void AttachState(global::Kappa.State.StateStoreSet stores) => _state = stores ?? throw new global::System.ArgumentNullException(nameof(stores));");
            }
            for (int i = 0; i < spec.Handlers.Count; i++)
            {
                w.WriteLine();
                EmitHandler(w, spec, spec.Handlers[i], i);
            }

            if (spec.Sinks.Count > 0)
            {
                w.WriteLine();
                w.WriteLine($"private void Produce<T>(string topic, in {ConsumedRecord} source, in T value, {Producer} producer)");
                w.Indentation++;
                w.WriteLine("where T : global::Kappa.Avro.IAvroRecord<T>");
                w.Indentation--;
                w.WriteLine("{");
                w.Indentation++;
                w.WriteLine("// Keyed and timestamped like the input: deterministic under replay, partitioned by the input key.");
                w.WriteLine("_buffer.Reset();");
                w.WriteLine("global::Kappa.Avro.AvroSerializer.Serialize<T>(in value, _buffer);");
                w.WriteLine("producer.Produce(new global::Kappa.Transport.OutgoingRecord(topic, source.Key, _buffer.WrittenSpan) { KeyIsNull = source.KeyIsNull, TimestampMs = source.TimestampMs });");
                w.CloseBlock();
            }

            w.CloseBlock();
        }

        private static void EmitHandler(SourceWriter w, ProcessorSpec spec, HandlerSpec handler, int index)
        {
            w.WriteLine($"// [Consume({Str(handler.Topic)})] {spec.TypeName}.{handler.MethodName}");
            w.OpenBlock($"private int Handle{Int(index)}(in {ConsumedRecord} record, {Producer} producer)");
            w.OpenBlock("if (record.ValueIsNull)");
            w.WriteLine($"throw global::Kappa.Processing.PoisonRecordException.NullValue(in record, {Str(Display(handler.InputType))});");
            w.CloseBlock();
            w.WriteLine();
            w.WriteLine($"{handler.InputType} value;");
            w.OpenBlock("try");
            w.WriteLine($"value = global::Kappa.Avro.AvroSerializer.Deserialize<{handler.InputType}>(record.Value);");
            w.CloseBlock();
            w.OpenBlock("catch (global::Kappa.Avro.AvroDecodeException exception)");
            w.WriteLine("throw global::Kappa.Processing.PoisonRecordException.Undecodable(in record, exception);");
            w.CloseBlock();
            w.WriteLine();

            string target = handler.IsStatic ? spec.Type.FullyQualifiedName : "_processor";
            string stateArgument = string.Empty;
            string? writeBack = null;
            if (handler.State is { } state)
            {
                string id0 = spec.Name + ".v" + Int(spec.Version);
                w.OpenBlock("if (record.KeyIsNull)");
                w.WriteLine($"throw global::Kappa.Processing.PoisonRecordException.NullKey(in record, {Str(state.StoreName)});");
                w.CloseBlock();
                w.WriteLine();
                w.WriteLine($"var store = (_state ?? throw new global::System.InvalidOperationException({Str($"Processor {id0}: the runner did not attach its state stores (IProcessorDispatcher.AttachState).")})).Get<{state.StateType}>({Int(state.StoreIndex)}, record.Partition);");
                if (state.Nullable)
                {
                    // ref T?: null when the key has no state; null after the call deletes it.
                    w.WriteLine($"{state.StateType}? state = store.TryGetValue(record.Key, out {state.StateType} existing) ? existing : null;");
                    writeBack = state.StateType.IsValueType
                        ? "if (state.HasValue) { store.Set(record.Key, state.GetValueOrDefault()); } else { store.Remove(record.Key); }"
                        : "if (state is not null) { store.Set(record.Key, state); } else { store.Remove(record.Key); }";
                }
                else
                {
                    w.WriteLine($"ref {state.StateType} state = ref store.GetOrAdd(record.Key);");
                }

                stateArgument = ", ref state";
            }

            string call = handler.HasContext
                ? $"{target}.{handler.MethodName}(value{stateArgument}, new global::Kappa.RecordContext(in record))"
                : $"{target}.{handler.MethodName}(value{stateArgument})";
            string output = handler.SinkIndex >= 0 ? "Output" + Int(handler.SinkIndex) : string.Empty;
            switch (handler.Shape)
            {
                case OutputShape.None:
                    w.WriteLine(call + ";");
                    WriteBack(w, writeBack);
                    w.WriteLine("return 0;");
                    break;
                case OutputShape.Single:
                    w.WriteLine($"var output = {call};");
                    WriteBack(w, writeBack);
                    if (handler.OutputIsNullableValue)
                    {
                        w.OpenBlock("if (!output.HasValue)");
                        w.WriteLine("return 0;");
                        w.CloseBlock();
                        w.WriteLine();
                        w.WriteLine($"Produce<{handler.OutputType}>({output}, in record, output.GetValueOrDefault(), producer);");
                    }
                    else
                    {
                        if (!handler.OutputType!.IsValueType)
                        {
                            w.OpenBlock("if (output is null)");
                            w.WriteLine("return 0;");
                            w.CloseBlock();
                            w.WriteLine();
                        }

                        w.WriteLine($"Produce<{handler.OutputType}>({output}, in record, output, producer);");
                    }

                    w.WriteLine("return 1;");
                    break;
                default:
                    w.WriteLine($"var outputs = {call};");
                    WriteBack(w, writeBack);
                    w.OpenBlock("if (outputs is null)");
                    w.WriteLine("return 0;");
                    w.CloseBlock();
                    w.WriteLine();
                    w.WriteLine("int count = 0;");
                    switch (handler.Shape)
                    {
                        case OutputShape.Array:
                            w.OpenBlock("for (int i = 0; i < outputs.Length; i++)");
                            w.WriteLine("var item = outputs[i];");
                            break;
                        case OutputShape.List:
                        case OutputShape.IndexedList:
                            w.OpenBlock("for (int i = 0; i < outputs.Count; i++)");
                            w.WriteLine("var item = outputs[i];");
                            break;
                        default:
                            w.OpenBlock("foreach (var item in outputs)");
                            break;
                    }

                    string item = "item";
                    if (handler.OutputIsNullableValue)
                    {
                        w.OpenBlock("if (!item.HasValue)");
                        w.WriteLine("continue;");
                        w.CloseBlock();
                        w.WriteLine();
                        item = "item.GetValueOrDefault()";
                    }
                    else if (!handler.OutputType!.IsValueType)
                    {
                        w.OpenBlock("if (item is null)");
                        w.WriteLine("continue;");
                        w.CloseBlock();
                        w.WriteLine();
                    }

                    w.WriteLine($"Produce<{handler.OutputType}>({output}, in record, {item}, producer);");
                    w.WriteLine("count++;");
                    w.CloseBlock();
                    w.WriteLine();
                    w.WriteLine("return count;");
                    break;
            }

            w.CloseBlock();
        }

        private static void WriteBack(SourceWriter w, string? writeBack)
        {
            if (writeBack is not null)
            {
                w.WriteLine(writeBack);
            }
        }

        public static string EmitRegistration(ProcessorSpec spec)
        {
            var w = new SourceWriter();
            w.WriteLine(SourceWriter.Header);
            OpenNamespace(w, spec);
            w.WriteLine($"/// <summary>Registers the stream processor <see cref=\"{spec.Type}\"/> ('{spec.Name}' version {Int(spec.Version)}) with Kappa hosting.</summary>");
            w.WriteLine(GeneratedCode);
            w.OpenBlock($"{(spec.IsPublic ? "public" : "internal")} static class {spec.TypeName}KappaExtensions");
            w.WriteLine("/// <summary>");
            w.WriteLine($"/// Runs <see cref=\"{spec.Type}\"/> as a hosted service. The processor is taken from the container when registered");
            w.WriteLine("/// there, otherwise constructed with its constructor's parameters resolved from the container.");
            w.WriteLine("/// </summary>");
            w.OpenBlock($"public static global::Kappa.Hosting.KappaBuilder Add{spec.TypeName}(this global::Kappa.Hosting.KappaBuilder builder, global::System.Action<global::Kappa.Processing.ProcessorOptions>? configure = null)");
            w.WriteLine("global::System.ArgumentNullException.ThrowIfNull(builder);");
            w.WriteLine($"return builder.AddProcessor<{spec.Type}>(static services =>");
            w.Indentation++;
            string arguments = string.Join(", ", spec.ConstructorParameters.Select(p =>
                p.IsOptional
                    ? $"global::Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetService<{p.Type}>(services)"
                    : $"global::Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<{p.Type}>(services)"));
            w.WriteLine($"global::Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetService<{spec.Type}>(services) ?? new {spec.Type}({arguments}),");
            w.WriteLine("configure);");
            w.Indentation--;
            w.CloseBlock();
            w.CloseBlock();
            CloseNamespace(w, spec);
            return w.ToString();
        }

        private static void OpenNamespace(SourceWriter w, ProcessorSpec spec)
        {
            if (spec.Namespace is not null)
            {
                w.OpenBlock("namespace " + spec.Namespace);
            }
        }

        private static void CloseNamespace(SourceWriter w, ProcessorSpec spec)
        {
            if (spec.Namespace is not null)
            {
                w.CloseBlock();
            }
        }

        private static string Display(TypeRef type) =>
            type.FullyQualifiedName.StartsWith("global::", System.StringComparison.Ordinal) ? type.FullyQualifiedName.Substring(8) : type.FullyQualifiedName;

        private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

        /// <summary>A C# string literal (names are validated ASCII, but escape anyway).</summary>
        private static string Str(string value)
        {
            var builder = new StringBuilder(value.Length + 2);
            builder.Append('"');
            foreach (char c in value)
            {
                switch (c)
                {
                    case '"':
                        builder.Append("\\\"");
                        break;
                    case '\\':
                        builder.Append("\\\\");
                        break;
                    case '\n':
                        builder.Append("\\n");
                        break;
                    case '\r':
                        builder.Append("\\r");
                        break;
                    default:
                        if (c < ' ')
                        {
                            builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            builder.Append(c);
                        }

                        break;
                }
            }

            return builder.Append('"').ToString();
        }
    }
}
