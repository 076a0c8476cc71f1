using Kappa.Avro.Schemas;
using Kappa.Generators.Avro.Model;
using Kappa.Generators.Common.Templates;

namespace Kappa.Generators.Avro.History;

/// <summary>
/// One branch of a reader union as C# sees it: <see cref="Type"/> is null for the <c>"null"</c> branch, else the type a
/// value of the branch is read into; <see cref="Wrap"/> (for <c>AvroUnion&lt;...&gt;</c> members) is the method that
/// turns it into the member's value (<c>global::Kappa.AvroUnion&lt;long, string&gt;.FromItem1</c>).
/// </summary>
internal sealed record ReaderBranch(AvroTypeSpec? Type, string? Wrap);

/// <summary>Maps the branches of a reader union schema to the member's C# type: nullables, [AvroUnion] types and AvroUnion&lt;...&gt;.</summary>
internal static class ReaderUnionBranches
{
    /// <summary>The branches in the schema's order, or null when the C# type is not a union of exactly these branches.</summary>
    public static IReadOnlyList<ReaderBranch>? Of(AvroUnionSchema schema, AvroTypeSpec type)
    {
        bool nullable = type.Kind == AvroTypeKind.Nullable;
        AvroTypeSpec inner = nullable ? type.Item! : type;
        var branches = new List<ReaderBranch>();
        switch (inner.Kind)
        {
            case AvroTypeKind.Union:
                branches.AddRange(inner.Branches.Select(b => new ReaderBranch(b, null)));
                break;
            case AvroTypeKind.ValueUnion:
                string union = TemplateFunctions.NonNullable(inner.CsType);
                branches.AddRange(inner.Branches.Select((b, i) => new ReaderBranch(b, $"{union}.FromItem{i + 1}")));
                break;
            case var _ when nullable:
                branches.Add(new ReaderBranch(inner, null));
                break;
            default:
                return null;
        }

        if (nullable)
        {
            branches.Insert(type.NullLast ? branches.Count : 0, new ReaderBranch(null, null));
        }

        if (branches.Count != schema.Branches.Count)
        {
            return null;
        }

        for (int i = 0; i < branches.Count; i++)
        {
            if ((branches[i].Type is null) != (schema.Branches[i].Kind == AvroSchemaKind.Null))
            {
                return null;
            }
        }

        return branches;
    }
}
