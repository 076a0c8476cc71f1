using System.Diagnostics;

namespace Kappa.Runtime.Tests.Avro;

/// <summary>
/// Runs the Apache Avro reference implementation (Debian's python3-avro under /usr/bin/python3) through a small script.
/// Fails loudly when the interpreter or the module is missing; never skips.
/// </summary>
public static class PythonAvro
{
    public const string Python = "/usr/bin/python3";

    public static string Run(string command, string schemaJson, string input)
    {
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException($"{Python} is missing: install Debian's python3 and python3-avro (apt-get install -y python3-avro) to run the Avro interop tests.");
        }

        string dir = Path.Combine(Path.GetTempPath(), "kappa-avro-interop-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string script = Path.Combine(dir, "interop.py");
            string schema = Path.Combine(dir, "schema.avsc");
            string data = Path.Combine(dir, "input.txt");
            File.WriteAllText(script, Script);
            File.WriteAllText(schema, schemaJson);
            File.WriteAllText(data, input);
            var info = new ProcessStartInfo(Python)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add(script);
            info.ArgumentList.Add(command);
            info.ArgumentList.Add(schema);
            info.ArgumentList.Add(data);
            using Process process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {Python}.");
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(60_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("python3 avro interop script did not finish within 60 s.");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"python3 avro interop '{command}' failed (exit {process.ExitCode}). If 'No module named avro': apt-get install -y python3-avro.\n{stderr.Result}\n{stdout.Result}");
            }

            return stdout.Result.Trim();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// Commands: <c>decode</c> (hex bytes in, normalized JSON out), <c>encode</c> (normalized JSON in, hex out), <c>reencode</c> (hex in, decoded and encoded again, hex out),
    /// <c>canonical</c> (the reference's canonical form, the same with the [PRIMITIVES] rule applied, and its CRC-64-AVRO computed from the spec's algorithm, one per line), <c>version</c>.
    /// Normalized JSON: bytes as hex, decimals as strings, timestamps as microseconds since the epoch, dates as days since
    /// the epoch, uuids as strings, enums as symbols.
    /// </summary>
    private const string Script = """
import sys, io, re, json, decimal, datetime, avro, avro.schema, avro.io

# python3-avro 1.11.1 raises TypeError when a None is checked against a uuid branch of a union (uuid.UUID(None)),
# so ["null", uuid] cannot be written with None. Treat non-strings as not matching, which is what the spec means.
_uuid_validate = avro.schema.UUIDSchema.validate
avro.schema.UUIDSchema.validate = lambda self, datum: _uuid_validate(self, datum) if isinstance(datum, str) else None

UTC = datetime.timezone.utc
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_DATE = datetime.date(1970, 1, 1)

def logical(s):
    return s.get_prop('logicalType') if hasattr(s, 'get_prop') else None

def walk(s, v, leaf):
    # The same structural walk for both directions; leaf converts a primitive or logical value.
    t = s.type
    if t == 'union':
        if v is None:
            return None
        for b in s.schemas:
            if b.type != 'null':
                return walk(b, v, leaf)
    if t == 'record':
        return {f.name: walk(f.type, v[f.name], leaf) for f in s.fields}
    if t == 'array':
        return [walk(s.items, x, leaf) for x in v]
    if t == 'map':
        return {k: walk(s.values, x, leaf) for k, x in v.items()}
    return leaf(s, v)

def dump_leaf(s, v):
    t = s.type
    lt = logical(s)
    if lt == 'decimal':
        return str(v)
    if lt in ('timestamp-millis', 'timestamp-micros'):
        d = v - EPOCH
        return (d.days * 86400 + d.seconds) * 1000000 + d.microseconds
    if lt == 'date':
        return (v - EPOCH_DATE).days
    if t == 'bytes':
        return v.hex()
    return v

def build_leaf(s, v):
    t = s.type
    lt = logical(s)
    if lt == 'decimal':
        # python3-avro 1.11 writes the Decimal's own digits without rescaling: quantize to the schema's scale first.
        return decimal.Decimal(v).quantize(decimal.Decimal(1).scaleb(-s.get_prop('scale')))
    if lt in ('timestamp-millis', 'timestamp-micros'):
        return EPOCH + datetime.timedelta(microseconds=v)
    if lt == 'date':
        return EPOCH_DATE + datetime.timedelta(days=v)
    if t == 'bytes':
        return bytes.fromhex(v)
    if t in ('float', 'double'):
        return float(v)
    return v

def dump(s, v):
    return walk(s, v, dump_leaf)

def build(s, v):
    return walk(s, v, build_leaf)

def crc64(data):
    empty = 0xc15d213aa4d7a795
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (empty & -(fp & 1))
        table.append(fp & 0xffffffffffffffff)
    fp = empty
    for b in data:
        fp = (fp >> 8) ^ table[(fp ^ b) & 0xff]
    return fp - (1 << 64) if fp >= (1 << 63) else fp

command, schema_path, input_path = sys.argv[1], sys.argv[2], sys.argv[3]
with open(schema_path, encoding='utf-8') as f:
    schema = avro.schema.parse(f.read())
with open(input_path, encoding='utf-8') as f:
    text = f.read()

if command == 'version':
    print(avro.__version__)
elif command == 'canonical':
    c = schema.canonical_form
    # python3-avro 1.11.1 leaves {"type":"bytes"} where a logicalType was stripped; the spec's [PRIMITIVES] rule
    # reduces it to "bytes". Print the raw form and the form with that one rule applied, then its fingerprint.
    fixed = re.sub(r'\{"type":"(null|boolean|int|long|float|double|bytes|string)"\}', r'"\1"', c)
    print(c)
    print(fixed)
    print(crc64(fixed.encode('utf-8')))
elif command == 'decode':
    raw = bytes.fromhex(text.strip())
    datum = avro.io.DatumReader(schema).read(avro.io.BinaryDecoder(io.BytesIO(raw)))
    print(json.dumps(dump(schema, datum), ensure_ascii=True, sort_keys=True))
elif command == 'reencode':
    raw = bytes.fromhex(text.strip())
    decoder = avro.io.BinaryDecoder(io.BytesIO(raw))
    datum = avro.io.DatumReader(schema).read(decoder)
    if decoder.reader.read() != b'':
        raise SystemExit('bytes left after the datum')
    out = io.BytesIO()
    avro.io.DatumWriter(schema).write(datum, avro.io.BinaryEncoder(out))
    print(out.getvalue().hex())
elif command == 'encode':
    datum = build(schema, json.loads(text))
    out = io.BytesIO()
    avro.io.DatumWriter(schema).write(datum, avro.io.BinaryEncoder(out))
    print(out.getvalue().hex())
else:
    raise SystemExit('unknown command ' + command)
""";
}
