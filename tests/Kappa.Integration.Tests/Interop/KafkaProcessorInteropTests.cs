using System.Globalization;
using System.Text.Json;
using Kappa.Kafka;
using Kappa.Kafka.Testing;
using Kappa.Processing;
using Kappa.Transport;

namespace Kappa.Integration.Tests.Interop;

/// <summary>
/// A generated processor on Kafka, with clients written by others on both ends: kafka-python produces readings encoded
/// by the Apache Avro reference implementation (from the schema our generator emitted), the processor runs on the
/// Kafka transport, and kafka-python reads and Avro-decodes the alerts and the dead letter. Runs on the librdkafka mock
/// cluster, or on a real cluster when KAPPA_KAFKA_BOOTSTRAP is set.
/// </summary>
public sealed class KafkaProcessorInteropTests
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public void Kafka_python_input_through_a_generated_processor_to_kafka_python_output()
    {
        using MockKafkaCluster? cluster = KafkaTransport.FromEnvironment() is { } real ? DisposeAndNull(real) : new MockKafkaCluster(1);
        using KafkaTransport transport = cluster is null ? KafkaTransport.FromEnvironment()! : new KafkaTransport(cluster.TransportOptions());
        string bootstrap = cluster?.Bootstrap ?? Environment.GetEnvironmentVariable(KafkaTransportOptions.BootstrapVariable)!;
        ProcessorDescriptor descriptor = HeatAlerts.KappaDescriptor;
        string output = descriptor.OutputTopics[0];
        transport.EnsureTopics([new TopicSpec("readings", 2), new TopicSpec(output, 2), new TopicSpec(descriptor.DeadLetterTopic, 2)]);

        // Start positions of the outputs, so the test also works on a real cluster that has data from earlier runs.
        long[] outputStart = Enumerable.Range(0, 2).Select(p => transport.GetWatermarks(new TopicPartition(output, p)).High).ToArray();
        long[] dlqStart = Enumerable.Range(0, 2).Select(p => transport.GetWatermarks(new TopicPartition(descriptor.DeadLetterTopic, p)).High).ToArray();
        string run = Guid.NewGuid().ToString("N")[..8];

        string produced = RunPython("produce", bootstrap, run, Reading.AvroSchemaJson);
        Assert.Equal("produced 12 + 1 poison", produced.Trim());

        var runner = ProcessorRunner.Create(new HeatAlerts(), transport);
        ProcessorLag.RunUntilCaughtUp(runner, transport, TimeSpan.FromMinutes(2));

        string consumed = RunPython(
            "consume",
            bootstrap,
            run,
            HeatAlert.AvroSchemaJson,
            output,
            string.Join(",", outputStart),
            descriptor.DeadLetterTopic,
            string.Join(",", dlqStart),
            "3",
            "1");
        var alerts = consumed.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .OrderBy(e => e.GetProperty("SensorId").GetString(), StringComparer.Ordinal)
            .ToList();

        // Readings i = 0..11 at -10.5 + 5 * i °C: from 30 °C (i >= 9) an alert; 44 °C and more (i = 11: 44.5 °C) is critical.
        Assert.Equal(3, alerts.Count);
        Assert.Equal([$"{run}-s09", $"{run}-s10", $"{run}-s11"], alerts.Select(a => a.GetProperty("SensorId").GetString()));
        Assert.Equal(["warning", "warning", "critical"], alerts.Select(a => a.GetProperty("Level").GetString()));
        Assert.Equal([(34.5 * 9 / 5) + 32, (39.5 * 9 / 5) + 32, (44.5 * 9 / 5) + 32], alerts.Select(a => a.GetProperty("Fahrenheit").GetDouble()));
        Assert.Equal([0, 2, 0], alerts.Select(a => a.GetProperty("TagCount").GetInt32()));
        Assert.Equal(
            [1_767_225_600_000 + (9 * 60_000), 1_767_225_600_000 + (10 * 60_000), 1_767_225_600_000 + (11 * 60_000)],
            alerts.Select(a => a.GetProperty("AtMs").GetInt64()));
        Assert.All(alerts, a => Assert.Equal(a.GetProperty("SensorId").GetString(), a.GetProperty("Key").GetString()));

        string dlq = Assert.Single(consumed.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("dlq ", StringComparison.Ordinal));
        Assert.Contains($"key={run}-poison", dlq);
        Assert.Contains("kappa.dlq.reason=undecodable", dlq);
        Assert.Contains("kappa.dlq.topic=readings", dlq);
        Assert.Contains("value=deadbeef", dlq);
    }

    private static MockKafkaCluster? DisposeAndNull(KafkaTransport transport)
    {
        transport.Dispose();
        return null;
    }

    private static string RunPython(params string[] args)
    {
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException($"{Python} is missing: install python3-kafka and python3-avro (scripts/install-deps.sh).");
        }

        string script = Path.Combine(Path.GetTempPath(), "kappa-kpy-" + Guid.NewGuid().ToString("N") + ".py");
        string schema = Path.ChangeExtension(script, ".avsc");
        File.WriteAllText(script, Script);
        File.WriteAllText(schema, args[3]);
        try
        {
            string[] arguments = [script, args[0], args[1], args[2], schema, .. args.Skip(4)];
            ProcessRunner.Result run = ProcessRunner.Run(Python, arguments, RepoPaths.Root, TimeSpan.FromMinutes(3));
            Assert.True(run.ExitCode == 0, $"kafka-python '{args[0]}' failed (exit {run.ExitCode}):\n{run.Output}");
            return run.StandardOutput;
        }
        finally
        {
            File.Delete(script);
            File.Delete(schema);
        }
    }

    private const string Script = """
import sys, io, json, time, datetime, avro.schema, avro.io
from kafka import KafkaProducer, KafkaConsumer, TopicPartition
mode, bootstrap, run, schema_path = sys.argv[1:5]
schema = avro.schema.parse(open(schema_path).read())
UTC = datetime.timezone.utc
BASE = datetime.datetime(2026, 1, 1, tzinfo=UTC)
if mode == 'produce':
    p = KafkaProducer(bootstrap_servers=bootstrap, api_version=(2, 5, 0))
    for i in range(12):
        rec = {'SensorId': '%s-s%02d' % (run, i), 'Celsius': -10.5 + 5 * i, 'Sequence': None if i % 3 == 0 else i * 10**15,
               'At': BASE + datetime.timedelta(minutes=i), 'Tags': [] if i % 2 else ['roof', 'ünï']}
        buf = io.BytesIO()
        avro.io.DatumWriter(schema).write(rec, avro.io.BinaryEncoder(buf))
        p.send('readings', key=rec['SensorId'].encode(), value=buf.getvalue(), timestamp_ms=1767225600000 + i).get(timeout=30)
    p.send('readings', key=('%s-poison' % run).encode(), value=bytes.fromhex('deadbeef'), timestamp_ms=1767225600999).get(timeout=30)
    p.flush(); p.close()
    print('produced 12 + 1 poison')
else:
    out_topic, out_start, dlq_topic, dlq_start, out_expected, dlq_expected = sys.argv[5:11]
    def read(topic, starts, expected):
        # Until the run's expected records came (bounded: connecting and the first fetch can take seconds on a loaded
        # machine), then whatever else comes within 5 s, so an unexpected extra record still shows.
        c = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, api_version=(2, 5, 0))
        tps = [TopicPartition(topic, p) for p in range(len(starts))]
        c.assign(tps)
        for tp, s in zip(tps, starts): c.seek(tp, int(s))
        msgs = []
        deadline = time.monotonic() + 60
        while sum(1 for m in msgs if m.key.decode().startswith(run)) < int(expected):
            if time.monotonic() > deadline:
                raise SystemExit("%s: %d of the run's %s records within 60 s" % (topic, sum(1 for m in msgs if m.key.decode().startswith(run)), expected))
            for batch in c.poll(timeout_ms=500).values(): msgs.extend(batch)
        while True:
            batches = c.poll(timeout_ms=5000)
            if not batches: break
            for batch in batches.values(): msgs.extend(batch)
        c.close(); return msgs
    for m in read(out_topic, out_start.split(','), out_expected):
        if not m.key.decode().startswith(run): continue
        d = avro.io.DatumReader(schema).read(avro.io.BinaryDecoder(io.BytesIO(m.value)))
        d['AtMs'] = int((d.pop('At') - datetime.datetime(1970, 1, 1, tzinfo=UTC)).total_seconds() * 1000)
        d['Key'] = m.key.decode()
        print(json.dumps(d, sort_keys=True))
    for m in read(dlq_topic, dlq_start.split(','), dlq_expected):
        if not m.key.decode().startswith(run): continue
        hs = ' '.join('%s=%s' % (k, v.decode() if v is not None else None) for k, v in m.headers if k in ('kappa.dlq.reason', 'kappa.dlq.topic'))
        print('dlq key=%s %s value=%s' % (m.key.decode(), hs, m.value.hex()))
""";
}
