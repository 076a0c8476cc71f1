using Kappa.Avro.Schemas;

namespace Kappa.Runtime.Tests.Avro.Resolution;

public sealed class AvroCompatibilityModeTests
{
    private static AvroSchema V(string fields) => AvroSchemaParser.Parse($$"""{"type":"record","name":"R","fields":[{{fields}}]}""");

    // v1: a. v2: a, b with default. v3 (candidate): a, b without default... readable from v2 only.
    private static readonly AvroSchema V1 = V("""{"name":"a","type":"int"}""");
    private static readonly AvroSchema V2 = V("""{"name":"a","type":"int"},{"name":"b","type":"string","default":""}""");
    private static readonly AvroSchema V3 = V("""{"name":"a","type":"long"},{"name":"b","type":"string"}""");

    [Theory]
    [InlineData(AvroCompatibilityMode.None, 0)]
    [InlineData(AvroCompatibilityMode.Backward, 0)] // v3 reads v2
    [InlineData(AvroCompatibilityMode.BackwardTransitive, 1)] // v3 cannot read v1 (b missing, no default)
    [InlineData(AvroCompatibilityMode.Forward, 1)] // v2 cannot read v3 (long a)
    [InlineData(AvroCompatibilityMode.ForwardTransitive, 2)]
    [InlineData(AvroCompatibilityMode.Full, 1)]
    [InlineData(AvroCompatibilityMode.FullTransitive, 3)]
    public void Modes_check_the_latest_or_every_version_in_the_right_direction(AvroCompatibilityMode mode, int violations)
    {
        IReadOnlyList<AvroCompatibilityViolation> found = AvroCompatibility.Check(V3, [V1, V2], mode);
        Assert.Equal(violations, found.Count);
    }

    [Fact]
    public void Violations_say_which_version_which_direction_and_which_field()
    {
        AvroCompatibilityViolation v = Assert.Single(AvroCompatibility.Check(V3, [V1, V2], AvroCompatibilityMode.BackwardTransitive));
        Assert.Equal(0, v.VersionIndex);
        Assert.True(v.NewSchemaIsReader);
        AvroIncompatibility i = Assert.Single(v.Incompatibilities);
        Assert.Equal("/fields/1", i.Path);
        Assert.Contains("'b'", i.Reason, StringComparison.Ordinal);
        Assert.StartsWith("the new schema cannot read data written with version 1", v.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("BACKWARD_TRANSITIVE", AvroCompatibilityMode.BackwardTransitive)]
    [InlineData("full", AvroCompatibilityMode.Full)]
    [InlineData("NONE", AvroCompatibilityMode.None)]
    public void Confluent_mode_names_round_trip(string name, AvroCompatibilityMode mode)
    {
        Assert.Equal(mode, AvroCompatibility.ParseMode(name));
        Assert.Equal(name.ToUpperInvariant(), AvroCompatibility.ModeName(mode));
        Assert.Null(AvroCompatibility.ParseMode("SIDEWAYS"));
    }

    [Fact]
    public void A_compatible_schema_is_also_resolvable_and_an_incompatible_one_is_reported_by_both()
    {
        Assert.Empty(AvroCompatibility.CanRead(V2, V1));
        Assert.NotNull(AvroResolver.Build(V1, V2));
        Assert.NotEmpty(AvroCompatibility.CanRead(V3, V1));
        Assert.Throws<AvroSchemaResolutionException>(() => AvroResolver.Build(V1, V3));
    }
}
