using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Kappa.Generators.Common;
using Kappa.Generators.State.Model;

namespace Kappa.Generators.State;

public sealed partial class ProcessorStateGenerator
{
    /// <summary>
    /// Model + lock file to the final model: assigns stable field numbers, the schema version, and reports
    /// incompatible changes (removed or retyped fields without a migration).
    /// </summary>
    internal static class Resolver
    {
        public static StateTypeResult Resolve(StateDeclarationResult parsed, StateLockSpec lockFile)
        {
            if (parsed.Declaration is not { } decl)
            {
                return new StateTypeResult(null, parsed.Diagnostics);
            }

            var diagnostics = new List<DiagnosticInfo>(parsed.Diagnostics);
            string lockName = lockFile.Path is null ? StateLockFile.FileName : System.IO.Path.GetFileName(lockFile.Path);
            StateLockTypeSpec? entry = lockFile.Types.FirstOrDefault(t => t.Type == decl.FullName);
            var migrations = decl.Migrations.ToDictionary(m => m.FieldName, System.StringComparer.Ordinal);
            var usedMigrations = new HashSet<string>(System.StringComparer.Ordinal);
            var fields = new List<StateFieldSpec>();
            var retired = new List<StateRetiredFieldSpec>();
            int version;

            if (entry is null)
            {
                int number = 0;
                foreach (StateMemberSpec member in decl.Members)
                {
                    fields.Add(new StateFieldSpec(++number, member.Name, member.Type));
                }

                version = 1;
            }
            else
            {
                int next = entry.Fields.Concat(entry.Retired).Select(f => f.Number).DefaultIfEmpty(0).Max();
                foreach (StateMemberSpec member in decl.Members)
                {
                    StateLockFieldSpec? locked = entry.Fields.FirstOrDefault(f => f.Name == member.Name);
                    if (locked is null)
                    {
                        fields.Add(new StateFieldSpec(++next, member.Name, member.Type));
                    }
                    else if (locked.Type == member.Type.Canonical)
                    {
                        fields.Add(new StateFieldSpec(locked.Number, member.Name, member.Type));
                    }
                    else
                    {
                        fields.Add(new StateFieldSpec(++next, member.Name, member.Type));
                        StateMigrationSpec? migration = Migration(locked, decl, migrations, usedMigrations, diagnostics);
                        if (migration is null && !migrations.ContainsKey(locked.Name))
                        {
                            diagnostics.Add(Diag(
                                DiagnosticDescriptors.StateFieldRetyped,
                                member.Location ?? decl.Location,
                                decl.FullName,
                                member.Name,
                                locked.Type,
                                lockName,
                                decl.TypeName,
                                member.Type.Canonical));
                        }

                        retired.Add(new StateRetiredFieldSpec(locked.Number, locked.Name, locked.Type, migration?.MethodName, migration?.OldType));
                    }
                }

                foreach (StateLockFieldSpec locked in entry.Fields)
                {
                    if (decl.Members.Any(m => m.Name == locked.Name))
                    {
                        continue;
                    }

                    StateMigrationSpec? migration = Migration(locked, decl, migrations, usedMigrations, diagnostics);
                    if (migration is null && !migrations.ContainsKey(locked.Name))
                    {
                        diagnostics.Add(Diag(
                            DiagnosticDescriptors.StateFieldRemoved,
                            decl.Location,
                            decl.FullName,
                            locked.Name,
                            locked.Type,
                            lockName,
                            decl.TypeName));
                    }

                    retired.Add(new StateRetiredFieldSpec(locked.Number, locked.Name, locked.Type, migration?.MethodName, migration?.OldType));
                }

                foreach (StateLockFieldSpec old in entry.Retired)
                {
                    StateMigrationSpec? migration = migrations.ContainsKey(old.Name) && !usedMigrations.Contains(old.Name)
                        ? Migration(old, decl, migrations, usedMigrations, diagnostics)
                        : null;
                    retired.Add(new StateRetiredFieldSpec(old.Number, old.Name, old.Type, migration?.MethodName, migration?.OldType));
                }

                bool same = SameSet(entry.Fields, fields.Select(f => new StateLockFieldSpec(f.Number, f.Name, f.Type.Canonical)))
                    && SameSet(entry.Retired, retired.Select(r => new StateLockFieldSpec(r.Number, r.Name, r.Canonical)));
                version = same ? entry.SchemaVersion : entry.SchemaVersion + 1;
            }

            foreach (StateMigrationSpec migration in decl.Migrations)
            {
                if (!usedMigrations.Contains(migration.FieldName))
                {
                    diagnostics.Add(Diag(
                        DiagnosticDescriptors.StateMigrationInvalid,
                        migration.Location ?? decl.Location,
                        decl.FullName,
                        migration.MethodName,
                        $"'{migration.FieldName}' is not a removed or retyped field of this state in {lockName} (only fields recorded in the lock file can be migrated)"));
                }
            }

            fields.Sort((a, b) => a.Number.CompareTo(b.Number));
            retired.Sort((a, b) => a.Number.CompareTo(b.Number));
            var lockEntry = new StateLockTypeSpec(
                decl.FullName,
                version,
                fields.Select(f => new StateLockFieldSpec(f.Number, f.Name, f.Type.Canonical)).ToEquatableArray(),
                retired.Select(r => new StateLockFieldSpec(r.Number, r.Name, r.Canonical)).ToEquatableArray());
            string entryJson = StateLockFile.WriteEntry(lockEntry);
            if (entry is null || !entry.Equals(lockEntry))
            {
                diagnostics.Add(Diag(
                    DiagnosticDescriptors.StateShapeNotLocked,
                    decl.Location,
                    decl.FullName,
                    version.ToString(CultureInfo.InvariantCulture),
                    "\n" + entryJson));
            }

            string schema = Schema(decl.FullName, fields, retired);
            var spec = new StateTypeSpec(decl, version, schema, Fnv1a(schema), fields.ToEquatableArray(), retired.ToEquatableArray(), lockEntry);
            return new StateTypeResult(spec, diagnostics.ToEquatableArray());
        }

        private static DiagnosticInfo Diag(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, LocationInfo? location, params string[] args) =>
            new(descriptor, location, args.ToEquatableArray());

        private static bool SameSet(EquatableArray<StateLockFieldSpec> recorded, IEnumerable<StateLockFieldSpec> current) =>
            recorded.OrderBy(f => f.Number).SequenceEqual(current.OrderBy(f => f.Number));

        /// <summary>The migration for a locked field, checked against the recorded type; null when none (or invalid).</summary>
        private static StateMigrationSpec? Migration(
            StateLockFieldSpec locked,
            StateDeclarationSpec decl,
            Dictionary<string, StateMigrationSpec> migrations,
            HashSet<string> used,
            List<DiagnosticInfo> diagnostics)
        {
            if (!migrations.TryGetValue(locked.Name, out StateMigrationSpec? migration))
            {
                return null;
            }

            used.Add(locked.Name);
            if (migration.OldType.Canonical != locked.Type)
            {
                diagnostics.Add(Diag(
                    DiagnosticDescriptors.StateMigrationInvalid,
                    migration.Location ?? decl.Location,
                    decl.FullName,
                    migration.MethodName,
                    $"field '{locked.Name}' was recorded as '{locked.Type}', but the migration takes '{migration.OldType.Canonical}'; its second parameter must be '{locked.Type}'"));
                return null;
            }

            return migration;
        }

        public static string Schema(string fullName, IEnumerable<StateFieldSpec> fields, IEnumerable<StateRetiredFieldSpec> retired)
        {
            var sb = new StringBuilder();
            sb.Append("state ").Append(fullName).Append('\n');
            foreach (StateFieldSpec f in fields)
            {
                sb.Append(f.Number.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(f.Name).Append(' ').Append(f.Type.Canonical).Append('\n');
            }

            foreach (StateRetiredFieldSpec r in retired)
            {
                sb.Append("retired ").Append(r.Number.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(r.Name).Append(' ').Append(r.Canonical).Append('\n');
            }

            return sb.ToString();
        }

        /// <summary>32-bit FNV-1a over UTF-8.</summary>
        public static uint Fnv1a(string text)
        {
            uint hash = 2166136261;
            foreach (byte b in Encoding.UTF8.GetBytes(text))
            {
                hash ^= b;
                hash *= 16777619;
            }

            return hash;
        }
    }
}
