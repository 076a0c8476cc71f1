namespace Kappa.Integration.Tests;

/// <summary>
/// The files of a fresh console project that uses Kappa only through its packages (by version, no project references):
/// an [AvroRecord], a [ProcessorState] and a stateful [StreamProcessor] run over a temporary embedded log, plus a
/// reference to the Kafka transport package, and the same processor under the test driver (Kappa.Testing). <see cref="HazardFile"/> adds a wall-clock read to a handler, which the
/// packaged determinism analyzers must report.
/// </summary>
internal static class PackageConsumerProject
{
    public const string HazardFile = "Hazard.cs";

    /// <summary>Writes nuget.config, App.csproj (see <see cref="WriteProject"/>) and the sources.</summary>
    public static void Write(string directory, PackedFeed feed)
    {
        WriteProject(directory, feed, "App");
        File.WriteAllText(Path.Combine(directory, "Model.cs"), Model);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), Program);
    }

    /// <summary>
    /// Writes a nuget.config (the local feed plus the machine's sources, and the private packages folder for every
    /// command: restore, build, run) and an executable project referencing the Kappa packages by version only, with
    /// nullable enabled and warnings as errors.
    /// </summary>
    public static void WriteProject(string directory, PackedFeed feed, string name)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{feed.Packages}" />
              </config>
              <packageSources>
                <add key="kappa-local" value="{feed.Feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <NoWarn>NU1603</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Kappa.Runtime" Version="{feed.Version}" />
                <PackageReference Include="Kappa.EmbeddedLog" Version="{feed.Version}" />
                <PackageReference Include="Kappa.Kafka" Version="{feed.Version}" />
                <PackageReference Include="Kappa.Testing" Version="{feed.Version}" />
                <PackageReference Include="Kappa.Sqlite" Version="{feed.Version}" />
                <PackageReference Include="Kappa.PostgreSql" Version="{feed.Version}" />
                <PackageReference Include="Kappa.Lifecycle" Version="{feed.Version}" />
              </ItemGroup>
            </Project>
            """);
    }

    public static void AddHazard(string directory) => File.WriteAllText(Path.Combine(directory, HazardFile), Hazard);

    private const string Model = """
        using Kappa;
        using Kappa.State;

        namespace PackagedApp;

        [AvroRecord(Namespace = "shop")]
        public partial record Order(string OrderId, string Customer, [AvroDecimal(12, 2)] decimal Amount);

        [AvroRecord(Namespace = "shop")]
        public partial record CustomerTotal(string Customer, int Orders, [AvroDecimal(12, 2)] decimal Amount, DateTimeOffset LoggedAt);

        /// <summary>Per-customer state.</summary>
        [ProcessorState]
        public partial class Totals
        {
            public int Orders;
            public decimal Amount;
        }

        /// <summary>Running totals per customer (stateful: exactly-once on the embedded log).</summary>
        [StreamProcessor("customer-totals", Version = 1)]
        public partial class CustomerTotals
        {
            [Consume("orders")]
            [Output("customer-totals")]
            public CustomerTotal Handle(Order order, ref Totals? totals, RecordContext ctx)
            {
                totals ??= new Totals();
                totals.Orders++;
                totals.Amount += order.Amount;
                return new CustomerTotal(order.Customer, totals.Orders, totals.Amount, ctx.Timestamp);
            }
        }
        """;

    private const string Program = """
        using System.Text;
        using Kappa.Avro;
        using Kappa.Kafka;
        using Kappa.Log;
        using Kappa.Processing;
        using Kappa.Testing;
        using Kappa.Transport;
        using PackagedApp;

        if (args.Length != 1)
        {
            Console.Error.WriteLine($"usage: App <empty log directory> (got {args.Length} arguments)");
            return 2;
        }

        // The generated Avro codec.
        byte[] bytes = AvroSerializer.SerializeToArray(new Order("o-x", "c-x", 12.5m));
        Order back = AvroSerializer.Deserialize<Order>(bytes);
        Console.WriteLine($"roundtrip {back.OrderId} {back.Customer} {back.Amount} fingerprint {Order.AvroFingerprint != 0}");

        // The Kafka transport package with the native librdkafka its dependencies bring (librdkafka.redist): one record
        // through librdkafka's mock cluster and back.
        using (var cluster = new Kappa.Kafka.Testing.MockKafkaCluster(1))
        using (var kafka = new KafkaTransport(cluster.TransportOptions()))
        {
            kafka.EnsureTopics([new TopicSpec("ping", 1)]);
            using (IKappaProducer producer = kafka.CreateProducer(new ProducerSettings()))
            {
                producer.Produce(new OutgoingRecord("ping", Encoding.UTF8.GetBytes("k"), Encoding.UTF8.GetBytes("pong")) { Partition = 0 });
                producer.Flush();
            }

            using IKappaConsumer reader = kafka.CreateConsumer(new ConsumerSettings { GroupId = "ping-reader" });
            reader.Assign([new TopicPartitionOffset("ping", 0, 0)]);
            if (!reader.TryConsume(TimeSpan.FromSeconds(30), out ConsumedRecord pong))
            {
                throw new TimeoutException("No record came back from the Kafka mock cluster.");
            }

            string library = Path.GetFileName(NativeLibraryLoader.LoadedFrom ?? "none");
            Console.WriteLine($"kafka {Encoding.UTF8.GetString(pong.Value)} from {typeof(KafkaTransport).Assembly.GetName().Name} with {library}");
        }

        // The embedded log: 30 orders of 3 customers, then the stateful processor replays them from offset 0.
        using var transport = new EmbeddedLogTransport(new EmbeddedLogOptions { Directory = args[0], FsyncPolicy = FsyncPolicy.Never });
        transport.EnsureTopics([new TopicSpec("orders", 2)]);
        using (IKappaProducer producer = transport.CreateProducer(new ProducerSettings()))
        {
            for (int i = 0; i < 30; i++)
            {
                var order = new Order($"o-{i}", $"c-{i % 3}", i + 0.25m);
                producer.Produce(new OutgoingRecord("orders", Encoding.UTF8.GetBytes(order.Customer), AvroSerializer.SerializeToArray(order)) { TimestampMs = 1_700_000_000_000 + i });
            }

            producer.Flush();
        }

        var runner = ProcessorRunner.Create(new CustomerTotals(), transport);
        ProcessorLag.RunUntilCaughtUp(runner, transport, TimeSpan.FromMinutes(2));
        string output = runner.Descriptor.OutputTopics[0];
        Console.WriteLine($"processed {runner.RecordsProcessed} records into {output}");

        // The last total of each customer, read back from the output topic (one output per order; transaction markers
        // take offsets too, so the reader counts records, not offsets).
        var last = new SortedDictionary<string, CustomerTotal>(StringComparer.Ordinal);
        int partitions = transport.GetPartitionCount(output) ?? throw new InvalidOperationException($"{output} does not exist.");
        using (IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "reader", ReadCommitted = true }))
        {
            consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(output, p, 0)).ToList());
            for (int read = 0; read < 30; read++)
            {
                if (!consumer.TryConsume(TimeSpan.FromSeconds(30), out ConsumedRecord record))
                {
                    throw new TimeoutException($"Only {read} of 30 outputs arrived from {output}.");
                }

                CustomerTotal total = AvroSerializer.Deserialize<CustomerTotal>(record.Value);
                last[total.Customer] = total;
            }
        }

        foreach (CustomerTotal total in last.Values)
        {
            Console.WriteLine($"total {total.Customer} {total.Orders} orders {total.Amount} at {total.LoggedAt.ToUnixTimeMilliseconds()}");
        }

        // The test driver package: the same processor, piped typed records, its state and outputs read back.
        using (var driver = new KappaTestDriver<CustomerTotals>(() => new CustomerTotals()))
        {
            driver.CurrentTime = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
            driver.Pipe("orders", new Order("o-1", "c-9", 1.5m), key: "c-9");
            driver.AdvanceTime(TimeSpan.FromSeconds(1));
            driver.Pipe("orders", new Order("o-2", "c-9", 2m), key: "c-9");
            Totals totals = driver.GetState<Totals>("totals", "c-9");
            var outputs = driver.ReadOutputs<CustomerTotal>("customer-totals");
            Console.WriteLine($"driver {totals.Orders} orders {totals.Amount} outputs {outputs.Count} last at {outputs[^1].Value.LoggedAt.ToUnixTimeMilliseconds()}");
        }

        return 0;
        """;

    private const string Hazard = """
        using Kappa;

        namespace PackagedApp;

        [StreamProcessor("stamp-orders")]
        public partial class StampOrders
        {
            [Consume("orders")]
            [Output("stamped-orders")]
            public CustomerTotal Handle(Order order) => new(order.Customer, 1, order.Amount, new DateTimeOffset(DateTime.UtcNow));
        }
        """;
}
