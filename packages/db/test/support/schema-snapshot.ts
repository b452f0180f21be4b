/**
 * A normalised description of a Postgres schema, built two ways: from Prisma's DMMF (what
 * `schema.prisma` says the database should be) and from `pg_catalog` (what the migrations made),
 * so the drift test can compare them with one `toEqual`.
 *
 * Column types use Postgres' `format_type()` spelling (`uuid`, `timestamp(3) with time zone`,
 * `"RunStatus"`); defaults use `pg_get_expr()`'s spelling. Constraint and index names follow Prisma's
 * default naming convention (Prisma docs, "Index, unique and primary key naming conventions"):
 * `<table>_pkey`, `<table>_<columns>_key`, `<table>_<columns>_idx`, `<table>_<columns>_fkey`, cut so that
 * the whole name fits Postgres' 63-byte identifier limit. Index columns sorted descending read
 * `"<column> DESC"`.
 *
 * What Prisma cannot declare (triggers, and indexes on expressions or with a WHERE clause) is left out
 * of the snapshot and read by {@link readSqlOnlyObjects} instead.
 */
import type pg from 'pg';
import type { DmmfDatamodel, DmmfField, DmmfModel } from './prisma-dmmf.js';

export interface ColumnSnapshot {
  type: string;
  nullable: boolean;
  /** The column default as `pg_get_expr` prints it, or null. */
  default: string | null;
}

export interface ForeignKeySnapshot {
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete: string;
  onUpdate: string;
}

export interface TableSnapshot {
  columns: Record<string, ColumnSnapshot>;
  primaryKey: { name: string; columns: string[] } | null;
  /** Unique indexes (Prisma's `@unique` / `@@unique`), by name: their columns in order. */
  uniques: Record<string, string[]>;
  /** Non-unique indexes (`@@index`), by name. */
  indexes: Record<string, string[]>;
  foreignKeys: Record<string, ForeignKeySnapshot>;
}

export interface SchemaSnapshot {
  /** Enum type name to its values in declaration order. */
  enums: Record<string, string[]>;
  tables: Record<string, TableSnapshot>;
}

const POSTGRES_IDENTIFIER_MAX_BYTES = 63;

/** Prisma's default constraint/index name. */
function defaultConstraintName(table: string, columns: string[], suffix: string): string {
  const base = [table, ...columns].join('_');
  return `${base.slice(0, POSTGRES_IDENTIFIER_MAX_BYTES - suffix.length - 1)}_${suffix}`;
}

/** `format_type()` quotes names that are not plain lowercase identifiers. */
function quoteTypeName(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

const tableName = (model: DmmfModel): string => model.dbName ?? model.name;
const columnName = (field: DmmfField): string => field.dbName ?? field.name;

/** The Postgres column type Prisma's migrations create for a field. */
function expectedColumnType(field: DmmfField, enumDbNames: Map<string, string>): string {
  const base = ((): string => {
    if (field.kind === 'enum') return quoteTypeName(enumDbNames.get(field.type) ?? field.type);
    const [nativeName, nativeArgs] = field.nativeType ?? [undefined, []];
    const args = nativeArgs.length > 0 ? `(${nativeArgs.join(',')})` : '';
    if (nativeName !== undefined) {
      const native: Record<string, string> = {
        Uuid: 'uuid',
        Text: 'text',
        VarChar: `character varying${args}`,
        Char: `character${args}`,
        Timestamptz: `timestamp${args} with time zone`,
        Timestamp: `timestamp${args} without time zone`,
        Date: 'date',
        Integer: 'integer',
        SmallInt: 'smallint',
        BigInt: 'bigint',
        DoublePrecision: 'double precision',
        Real: 'real',
        Decimal: `numeric${args}`,
        Boolean: 'boolean',
        JsonB: 'jsonb',
        Json: 'json',
        ByteA: 'bytea',
      };
      const mapped = native[nativeName];
      if (mapped === undefined) throw new Error(`schema-snapshot: no mapping for native type @db.${nativeName}; add it`);
      return mapped;
    }
    const scalar: Record<string, string> = {
      String: 'text',
      Int: 'integer',
      BigInt: 'bigint',
      Float: 'double precision',
      Decimal: 'numeric(65,30)',
      Boolean: 'boolean',
      DateTime: 'timestamp(3) without time zone',
      Json: 'jsonb',
      Bytes: 'bytea',
    };
    const mapped = scalar[field.type];
    if (mapped === undefined) throw new Error(`schema-snapshot: no mapping for Prisma type ${field.type}; add it`);
    return mapped;
  })();
  return field.isList ? `${base}[]` : base;
}

/** The column default Prisma's migrations create for a field, in `pg_get_expr` spelling. */
function expectedDefault(field: DmmfField, table: string, type: string): string | null {
  const value = field.default;
  if (value === undefined) return null;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    switch (value.name) {
      case 'now':
        return 'CURRENT_TIMESTAMP';
      case 'dbgenerated':
        // `dbgenerated()` without an expression: the database fills the column by other means (a
        // trigger), and the column itself has no default.
        return value.args.length === 0 ? null : String(value.args[0]);
      case 'autoincrement':
        return `nextval('${table}_${columnName(field)}_seq'::regclass)`;
      case 'uuid':
      case 'cuid':
      case 'nanoid':
      case 'ulid':
        return null; // generated by the client, no database default
      default:
        throw new Error(`schema-snapshot: no mapping for default ${value.name}(); add it`);
    }
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // Prisma writes an empty scalar-list default as `DEFAULT ARRAY[]::TEXT[]`.
  if (Array.isArray(value) && value.length === 0) return `ARRAY[]::${type}`;
  if (typeof value === 'string') {
    const literal = `'${value.replaceAll("'", "''")}'`;
    return `${literal}::${type}`;
  }
  throw new Error(`schema-snapshot: no mapping for default ${JSON.stringify(value)}; add it`);
}

/**
 * What `schema.prisma` (as DMMF) says the database must contain.
 *
 * @throws Error for Prisma types, native types or defaults this mapping does not know yet.
 */
export function expectedSchemaFromDmmf(datamodel: DmmfDatamodel): SchemaSnapshot {
  const enumDbNames = new Map(datamodel.enums.map((e) => [e.name, e.dbName ?? e.name]));
  const modelsByName = new Map(datamodel.models.map((model) => [model.name, model]));
  const columnOf = (model: DmmfModel, fieldName: string): string => {
    const field = model.fields.find((candidate) => candidate.name === fieldName);
    if (field === undefined) throw new Error(`unknown field ${model.name}.${fieldName}`);
    return columnName(field);
  };

  const snapshot: SchemaSnapshot = { enums: {}, tables: {} };
  for (const e of datamodel.enums) snapshot.enums[e.dbName ?? e.name] = e.values.map((value) => value.dbName ?? value.name);

  for (const model of datamodel.models) {
    const table = tableName(model);
    const entry: TableSnapshot = { columns: {}, primaryKey: null, uniques: {}, indexes: {}, foreignKeys: {} };
    for (const field of model.fields) {
      if (field.kind === 'scalar' || field.kind === 'enum') {
        const type = expectedColumnType(field, enumDbNames);
        // Prisma's migrations leave scalar-list columns nullable (`TEXT[]`), whatever the DMMF says.
        const nullable = field.isList || !field.isRequired;
        entry.columns[columnName(field)] = { type, nullable, default: expectedDefault(field, table, type) };
      } else if (field.kind === 'object' && (field.relationFromFields?.length ?? 0) > 0) {
        const from = field.relationFromFields!.map((name) => columnOf(model, name));
        const target = modelsByName.get(field.type)!;
        const optional = field.relationFromFields!.some((name) => !model.fields.find((f) => f.name === name)!.isRequired);
        entry.foreignKeys[defaultConstraintName(table, from, 'fkey')] = {
          columns: from,
          referencedTable: tableName(target),
          referencedColumns: field.relationToFields!.map((name) => columnOf(target, name)),
          // Prisma's defaults: SetNull for optional relations, Restrict for required ones; Cascade on update.
          onDelete: field.relationOnDelete ?? (optional ? 'SetNull' : 'Restrict'),
          onUpdate: field.relationOnUpdate ?? 'Cascade',
        };
      }
    }
    for (const index of datamodel.indexes.filter((candidate) => candidate.model === model.name)) {
      const names = index.fields.map((field) => columnOf(model, field.name));
      const columns = index.fields.map((field, i) => names[i] + (field.sortOrder === 'desc' ? ' DESC' : ''));
      if (index.type === 'id') {
        entry.primaryKey = { name: index.dbName ?? `${table}_pkey`, columns };
      } else if (index.type === 'unique') {
        entry.uniques[index.dbName ?? defaultConstraintName(table, names, 'key')] = columns;
      } else if (index.type === 'normal') {
        entry.indexes[index.dbName ?? defaultConstraintName(table, names, 'idx')] = columns;
      } else {
        throw new Error(`schema-snapshot: no mapping for ${index.type} indexes; add it`);
      }
    }
    snapshot.tables[table] = entry;
  }
  return snapshot;
}

const REFERENTIAL_ACTIONS: Record<string, string> = { a: 'NoAction', r: 'Restrict', c: 'Cascade', n: 'SetNull', d: 'SetDefault' };

/**
 * What the database's current schema (`current_schema()`) contains, `_prisma_migrations` excluded.
 *
 * @param client A connected node-postgres client on the database.
 */
export async function readDatabaseSchema(client: pg.Client): Promise<SchemaSnapshot> {
  const snapshot: SchemaSnapshot = { enums: {}, tables: {} };

  const enums = await client.query<{ type: string; value: string }>(`
    SELECT t.typname AS type, e.enumlabel AS value
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = current_schema()
    ORDER BY t.typname, e.enumsortorder`);
  for (const row of enums.rows) (snapshot.enums[row.type] ??= []).push(row.value);

  const columns = await client.query<{ table: string; column: string; type: string; nullable: boolean; default: string | null }>(`
    SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
           NOT a.attnotnull AS nullable, pg_get_expr(d.adbin, d.adrelid) AS default
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> '_prisma_migrations'
    ORDER BY c.relname, a.attnum`);
  for (const row of columns.rows) {
    snapshot.tables[row.table] ??= { columns: {}, primaryKey: null, uniques: {}, indexes: {}, foreignKeys: {} };
    snapshot.tables[row.table].columns[row.column] = { type: row.type, nullable: row.nullable, default: row.default };
  }

  const indexes = await client.query<{ table: string; name: string; primary: boolean; unique: boolean; columns: string[] }>(`
    SELECT t.relname AS table, i.relname AS name, x.indisprimary AS primary, x.indisunique AS unique,
           array(SELECT a.attname || CASE WHEN (x.indoption[k.ord - 1] & 1) = 1 THEN ' DESC' ELSE '' END
                 FROM unnest(x.indkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns
    FROM pg_index x
    JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = current_schema() AND t.relname <> '_prisma_migrations'
      AND x.indexprs IS NULL AND x.indpred IS NULL`);
  for (const row of indexes.rows) {
    const table = snapshot.tables[row.table];
    if (row.primary) table.primaryKey = { name: row.name, columns: row.columns };
    else if (row.unique) table.uniques[row.name] = row.columns;
    else table.indexes[row.name] = row.columns;
  }

  const foreignKeys = await client.query<{
    table: string; name: string; columns: string[]; referenced_table: string; referenced_columns: string[]; on_delete: string; on_update: string;
  }>(`
    SELECT t.relname AS table, c.conname AS name,
           array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns,
           r.relname AS referenced_table,
           array(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS referenced_columns,
           c.confdeltype AS on_delete, c.confupdtype AS on_update
    FROM pg_constraint c
    JOIN pg_class t ON t.oid = c.conrelid
    JOIN pg_class r ON r.oid = c.confrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE c.contype = 'f' AND n.nspname = current_schema()`);
  for (const row of foreignKeys.rows) {
    snapshot.tables[row.table].foreignKeys[row.name] = {
      columns: row.columns,
      referencedTable: row.referenced_table,
      referencedColumns: row.referenced_columns,
      onDelete: REFERENTIAL_ACTIONS[row.on_delete],
      onUpdate: REFERENTIAL_ACTIONS[row.on_update],
    };
  }
  return snapshot;
}

/** The database objects Prisma cannot declare, which `schema.prisma` can only mention in comments. */
export interface SqlOnlyObjects {
  /** Table name to the names of its user-defined triggers, sorted. */
  triggers: Record<string, string[]>;
  /** Indexes on expressions or with a WHERE clause, by name: their definition (`pg_get_indexdef`). */
  expressionIndexes: Record<string, string>;
}

/**
 * The triggers and expression or partial indexes of the current schema (`current_schema()`).
 *
 * @param client A connected node-postgres client on the database.
 */
export async function readSqlOnlyObjects(client: pg.Client): Promise<SqlOnlyObjects> {
  const objects: SqlOnlyObjects = { triggers: {}, expressionIndexes: {} };
  const triggers = await client.query<{ table: string; name: string }>(`
    SELECT c.relname AS table, g.tgname AS name
    FROM pg_trigger g
    JOIN pg_class c ON c.oid = g.tgrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND NOT g.tgisinternal
    ORDER BY c.relname, g.tgname`);
  for (const row of triggers.rows) (objects.triggers[row.table] ??= []).push(row.name);
  const indexes = await client.query<{ name: string; definition: string }>(`
    SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS definition
    FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_namespace n ON n.oid = i.relnamespace
    WHERE n.nspname = current_schema() AND (x.indexprs IS NOT NULL OR x.indpred IS NOT NULL)
    ORDER BY i.relname`);
  for (const row of indexes.rows) objects.expressionIndexes[row.name] = row.definition;
  return objects;
}
