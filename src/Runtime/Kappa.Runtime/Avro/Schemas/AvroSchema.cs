using System.Text.Json;

namespace Kappa.Avro.Schemas;

/// <summary>The kind of an Avro schema node (logical types are carried as <see cref="AvroSchema.LogicalType"/> on the underlying kind).</summary>
public enum AvroSchemaKind
{
    Null,
    Boolean,
    Int,
    Long,
    Float,
    Double,
    Bytes,
    String,
    Record,
    Enum,
    Array,
    Map,
    Union,
    Fixed,
}

/// <summary>
/// A parsed Avro schema (run-time model, used for schema resolution and compatibility). Parse with
/// <see cref="AvroSchemaParser.Parse(string)"/>.
/// </summary>
public abstract class AvroSchema
{
    private protected AvroSchema(AvroSchemaKind kind, string? logicalType)
    {
        Kind = kind;
        LogicalType = logicalType;
    }

    public AvroSchemaKind Kind { get; }

    /// <summary>The <c>logicalType</c> attribute, if any (resolution works on the underlying type, as the spec says).</summary>
    public string? LogicalType { get; }

    /// <summary>The <c>scale</c> of a <c>decimal</c> logical type (0 when the schema gives none); null for any other type.</summary>
    public int? DecimalScale { get; internal init; }

    /// <summary>A short description for error messages: the primitive name or the full name of a named type.</summary>
    public abstract string Describe();

    public override string ToString() => AvroCanonicalForm.Of(this);
}

/// <summary>null, boolean, int, long, float, double, bytes or string.</summary>
public sealed class AvroPrimitiveSchema : AvroSchema
{
    internal AvroPrimitiveSchema(AvroSchemaKind kind, string? logicalType)
        : base(kind, logicalType)
    {
    }

    public override string Describe() => AvroSchemaParser.PrimitiveName(Kind);
}

/// <summary>A record, enum or fixed: has a full name and aliases.</summary>
public abstract class AvroNamedSchema : AvroSchema
{
    private protected AvroNamedSchema(AvroSchemaKind kind, string fullName, IReadOnlyList<string> aliases, string? logicalType)
        : base(kind, logicalType)
    {
        FullName = fullName;
        Aliases = aliases;
    }

    /// <summary>Namespace-qualified name.</summary>
    public string FullName { get; }

    /// <summary>The unqualified name (what schema resolution compares).</summary>
    public string Name => FullName.Substring(FullName.LastIndexOf('.') + 1);

    /// <summary>Full names of the aliases.</summary>
    public IReadOnlyList<string> Aliases { get; }

    public override string Describe() => FullName;

    /// <summary>True when a reader with this schema's name and aliases accepts a writer type named <paramref name="writer"/>.</summary>
    public bool AcceptsName(AvroNamedSchema writer)
    {
        if (writer.Name == Name || writer.FullName == FullName)
        {
            return true;
        }

        foreach (string alias in Aliases)
        {
            if (alias == writer.FullName || alias.Substring(alias.LastIndexOf('.') + 1) == writer.Name)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>One field of a record.</summary>
public sealed class AvroField
{
    internal AvroField(string name, IReadOnlyList<string> aliases, AvroSchema schema, JsonElement? defaultValue, int position)
    {
        Name = name;
        Aliases = aliases;
        Schema = schema;
        Default = defaultValue;
        Position = position;
    }

    public string Name { get; }

    public IReadOnlyList<string> Aliases { get; }

    public AvroSchema Schema { get; internal set; }

    /// <summary>The field's <c>default</c> (JSON), or null when it has none.</summary>
    public JsonElement? Default { get; }

    public int Position { get; }
}

public sealed class AvroRecordSchema : AvroNamedSchema
{
    internal AvroRecordSchema(string fullName, IReadOnlyList<string> aliases)
        : base(AvroSchemaKind.Record, fullName, aliases, null)
    {
    }

    public IReadOnlyList<AvroField> Fields { get; internal set; } = [];

    /// <summary>The field named <paramref name="name"/>, or null.</summary>
    public AvroField? Field(string name)
    {
        foreach (AvroField field in Fields)
        {
            if (field.Name == name)
            {
                return field;
            }
        }

        return null;
    }
}

public sealed class AvroEnumSchema : AvroNamedSchema
{
    internal AvroEnumSchema(string fullName, IReadOnlyList<string> aliases, IReadOnlyList<string> symbols, string? defaultSymbol)
        : base(AvroSchemaKind.Enum, fullName, aliases, null)
    {
        Symbols = symbols;
        DefaultSymbol = defaultSymbol;
    }

    public IReadOnlyList<string> Symbols { get; }

    /// <summary>The enum's <c>default</c> symbol (used by readers for unknown writer symbols), or null.</summary>
    public string? DefaultSymbol { get; }

    public int IndexOf(string symbol)
    {
        for (int i = 0; i < Symbols.Count; i++)
        {
            if (Symbols[i] == symbol)
            {
                return i;
            }
        }

        return -1;
    }
}

public sealed class AvroFixedSchema : AvroNamedSchema
{
    internal AvroFixedSchema(string fullName, IReadOnlyList<string> aliases, int size, string? logicalType)
        : base(AvroSchemaKind.Fixed, fullName, aliases, logicalType)
    {
        Size = size;
    }

    public int Size { get; }
}

public sealed class AvroArraySchema : AvroSchema
{
    internal AvroArraySchema(AvroSchema items)
        : base(AvroSchemaKind.Array, null)
    {
        Items = items;
    }

    public AvroSchema Items { get; }

    public override string Describe() => "array<" + Items.Describe() + ">";
}

public sealed class AvroMapSchema : AvroSchema
{
    internal AvroMapSchema(AvroSchema values)
        : base(AvroSchemaKind.Map, null)
    {
        Values = values;
    }

    public AvroSchema Values { get; }

    public override string Describe() => "map<" + Values.Describe() + ">";
}

public sealed class AvroUnionSchema : AvroSchema
{
    internal AvroUnionSchema(IReadOnlyList<AvroSchema> branches)
        : base(AvroSchemaKind.Union, null)
    {
        Branches = branches;
    }

    public IReadOnlyList<AvroSchema> Branches { get; }

    public override string Describe() => "[" + string.Join(",", Branches.Select(b => b.Describe())) + "]";
}
