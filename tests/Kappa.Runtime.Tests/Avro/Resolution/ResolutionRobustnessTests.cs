using System.Buffers;
using Kappa.Avro;
using Kappa.Avro.Schemas;

namespace Kappa.Runtime.Tests.Avro.Resolution;

/// <summary>Random bytes through resolution plans of random schema pairs: nothing but <see cref="AvroDecodeException"/> escapes.</summary>
public sealed class ResolutionRobustnessTests
{
    [Fact]
    public void Random_bytes_through_random_plans_fail_only_as_decode_errors()
    {
        var generator = new SchemaPairGenerator(7);
        var random = new Random(99);
        int plans = 0;
        int decoded = 0;
        int failed = 0;
        for (int pair = 0; pair < 200; pair++)
        {
            (string a, string b, _) = generator.Next();
            ResolutionStep? plan;
            try
            {
                plan = AvroResolver.Build(AvroSchemaParser.Parse(a), AvroSchemaParser.Parse(b));
            }
            catch (AvroSchemaResolutionException)
            {
                continue;
            }

            if (plan is null)
            {
                continue;
            }

            plans++;
            for (int i = 0; i < 100; i++)
            {
                byte[] data = new byte[random.Next(48)];
                random.NextBytes(data);
                try
                {
                    var output = new ArrayBufferWriter<byte>();
                    var reader = new AvroReader(data, "random");
                    var writer = new AvroWriter(output);
                    plan.Run(ref reader, ref writer);
                    reader.EnsureEnd();
                    decoded++;
                }
                catch (AvroDecodeException)
                {
                    failed++;
                }
            }
        }

        Assert.True(plans >= 50, $"only {plans} resolvable pairs");
        Assert.True(failed > 0 && decoded > 0, $"decoded {decoded}, failed {failed}");
    }
}
