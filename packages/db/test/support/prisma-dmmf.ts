/**
 * Reads the data model of `prisma/schema.prisma` as Prisma's DMMF, without Prisma's schema engine.
 *
 * The `prisma` CLI package ships Prisma's schema parser as WebAssembly
 * (`build/prisma_schema_build_bg.wasm`, the module published as `@prisma/prisma-schema-wasm`) and
 * calls its `get_dmmf` export to produce the DMMF. This module instantiates that same wasm and calls
 * `get_dmmf` through the wasm-bindgen calling convention (strings passed as UTF-8 bytes in the module's
 * memory; results returned as `[ptr, len, errorRef, isError]`). If a Prisma upgrade changes that
 * convention, `readDmmf` throws, and the drift test fails loudly rather than passing vacuously.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The parts of a DMMF field the drift test uses. */
export interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'enum' | 'object' | 'unsupported';
  type: string;
  isList: boolean;
  isRequired: boolean;
  isId: boolean;
  isUpdatedAt: boolean;
  hasDefaultValue: boolean;
  /** e.g. `['Timestamptz', ['3']]`, or null for the type's default column type. */
  nativeType?: [string, string[]] | null;
  default?: { name: string; args: unknown[] } | string | number | boolean | unknown[];
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string | null;
  relationOnUpdate?: string | null;
}

export interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
  primaryKey: { name: string | null; fields: string[] } | null;
}

export interface DmmfEnum {
  name: string;
  dbName?: string | null;
  values: { name: string; dbName: string | null }[];
}

export interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  dbName?: string | null;
  /** `sortOrder` is present only when the schema gives one (`field(sort: Desc)`). */
  fields: { name: string; sortOrder?: 'asc' | 'desc' }[];
}

export interface DmmfDatamodel {
  models: DmmfModel[];
  enums: DmmfEnum[];
  indexes: DmmfIndex[];
}

/** The few WebAssembly APIs used here (the project's TypeScript libs do not declare `WebAssembly`). */
interface WebAssemblyApi {
  Module: (new (bytes: Uint8Array) => object) & { imports(module: object): { module: string; name: string }[] };
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const { WebAssembly: wasmApi } = globalThis as unknown as { WebAssembly: WebAssemblyApi };

interface ExternRefTable {
  grow(delta: number): number;
  get(index: number): unknown;
  set(index: number, value: unknown): void;
}

interface SchemaWasmExports {
  memory: { buffer: ArrayBuffer };
  __wbindgen_malloc(size: number, align: number): number;
  __wbindgen_free(ptr: number, size: number, align: number): void;
  __wbindgen_externrefs: ExternRefTable;
  __wbindgen_start(): void;
  get_dmmf(ptr: number, len: number): [number, number, number, number];
}

/** Path of the schema wasm inside the installed `prisma` package. */
function schemaWasmPath(): string {
  const packageJson = createRequire(import.meta.url).resolve('prisma/package.json');
  return join(dirname(packageJson), 'build', 'prisma_schema_build_bg.wasm');
}

function instantiateSchemaWasm(): SchemaWasmExports {
  const module = new wasmApi.Module(readFileSync(schemaWasmPath()));
  // Filled in once instantiated; the import functions below only run after that.
  const instance: { wasm?: SchemaWasmExports } = {};
  const readString = (ptr: number, len: number): string =>
    new TextDecoder().decode(new Uint8Array(instance.wasm!.memory.buffer, ptr, len));
  // wasm-bindgen suffixes import names with a hash; match them by prefix.
  const implementations: Record<string, (...args: number[]) => unknown> = {
    __wbg_set_message: () => undefined, // panic message hook; the panic itself surfaces as a trap
    __wbg_Error: (ptr, len) => new Error(readString(ptr, len)),
    __wbg___wbindgen_throw: (ptr, len) => {
      throw new Error(readString(ptr, len));
    },
    __wbindgen_init_externref_table: () => {
      const table = instance.wasm!.__wbindgen_externrefs;
      const offset = table.grow(4);
      table.set(0, undefined);
      [undefined, null, true, false].forEach((value, index) => table.set(offset + index, value));
    },
  };
  const imports: Record<string, Record<string, (...args: number[]) => unknown>> = {};
  for (const { module: moduleName, name } of wasmApi.Module.imports(module)) {
    const key = Object.keys(implementations).find((prefix) => name === prefix || name.startsWith(`${prefix}_`));
    if (key === undefined) throw new Error(`prisma schema wasm needs an unknown import ${moduleName}.${name}; update prisma-dmmf.ts`);
    (imports[moduleName] ??= {})[name] = implementations[key];
  }
  const wasm = new wasmApi.Instance(module, imports).exports as SchemaWasmExports;
  instance.wasm = wasm;
  wasm.__wbindgen_start();
  return wasm;
}

/**
 * Parses a Prisma schema into its DMMF data model.
 *
 * @param schema The content of a `.prisma` file.
 * @throws Error with Prisma's validation message when the schema is invalid, or when the wasm's interface changed.
 */
export function readDmmf(schema: string): DmmfDatamodel {
  const wasm = instantiateSchemaWasm();
  const input = new TextEncoder().encode(JSON.stringify({ prismaSchema: schema, noColor: true }));
  const inputPtr = wasm.__wbindgen_malloc(input.length, 1);
  new Uint8Array(wasm.memory.buffer, inputPtr, input.length).set(input);
  const [ptr, len, errorRef, isError] = wasm.get_dmmf(inputPtr, input.length);
  if (isError) throw wasm.__wbindgen_externrefs.get(errorRef) as Error;
  const json = new TextDecoder().decode(new Uint8Array(wasm.memory.buffer, ptr, len));
  wasm.__wbindgen_free(ptr, len, 1);
  const datamodel = (JSON.parse(json) as { datamodel?: DmmfDatamodel }).datamodel;
  if (!datamodel || !Array.isArray(datamodel.models) || !Array.isArray(datamodel.indexes)) {
    throw new Error('get_dmmf returned no datamodel; the prisma schema wasm interface changed');
  }
  return datamodel;
}
