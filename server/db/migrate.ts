// Applies and creates Prisma migrations through Prisma's WebAssembly schema engine, driven
// by the pg driver adapter. This works on machines that lack Prisma's native schema-engine
// binary (it cannot be downloaded everywhere); `prisma migrate deploy` keeps working where
// the native engine exists, since both read and write the same `_prisma_migrations` table.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum, type SqlDriverAdapter, type SqlQueryable } from "@prisma/driver-adapter-utils";
import pg from "pg";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";

const require = createRequire(import.meta.url);
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

// adapter-pg 7.10 has no column type for pg_catalog's one-byte "char" (OID 18), which the
// schema engine reads while it describes a database (pg_constraint.contype and friends), and
// the engine needs such columns typed as Character. At the pg level the column is passed on as
// text with a marker on its name; the adapter wrapper below strips the marker and reports the
// column as Character. Markers travel with each result, so concurrent queries cannot mix up.
const CHAR_MARKER = "\u0000pg-char";
const CHARACTER_COLUMN_TYPE = ColumnTypeEnum.Character;

function reportCharAsText(res: pg.QueryResult | undefined) {
  for (const field of res?.fields ?? []) {
    if (field.dataTypeID === PG_CHAR_OID) {
      field.dataTypeID = PG_TEXT_OID;
      field.name += CHAR_MARKER;
    }
  }
  return res;
}

function restoreCharColumns<T extends SqlQueryable>(queryable: T): T {
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const result = await queryRaw(query);
    result.columnNames.forEach((name, i) => {
      if (name.endsWith(CHAR_MARKER)) {
        result.columnNames[i] = name.slice(0, -CHAR_MARKER.length);
        result.columnTypes[i] = CHARACTER_COLUMN_TYPE;
      }
    });
    return result;
  };
  return queryable;
}

class CharAsTextClient extends pg.Client {
  // pg-pool calls query with a callback; direct callers use the promise form.
  // biome-ignore lint/suspicious/noExplicitAny: pg.Client.query has many overloads; this passes every one through
  query(...args: any[]): any {
    const last = args.at(-1);
    if (typeof last === "function") {
      args[args.length - 1] = (err: Error | null, res: pg.QueryResult) => last(err, reportCharAsText(res));
    }
    // biome-ignore lint/suspicious/noExplicitAny: as above
    const result = (super.query as any)(...args);
    return result && typeof result.then === "function" ? result.then(reportCharAsText) : result;
  }
}

// Transactions run their queries on their own queryable, so wrap those too.
function withCharColumns(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (...args) => restoreCharColumns(await startTransaction(...args));
  return restoreCharColumns(adapter);
}

function createPool(connectionString: string) {
  const pool = new pg.Pool({ connectionString, Client: CharAsTextClient, max: 4 });
  pool.on("error", () => {}); // an idle connection closed by the server is not our failure
  return pool;
}

function createAdapterFactory(url: string, pool: pg.Pool) {
  const factory = new PrismaPg(pool);
  return bindMigrationAwareSqlAdapterFactory({
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => withCharColumns(await factory.connect()),
    // adapter-pg 7.10 drops the shadow database before closing the pool that is connected
    // to it, which PostgreSQL refuses; close first, then drop.
    async connectToShadowDb() {
      const database = `prisma_migrate_shadow_db_${globalThis.crypto.randomUUID().replaceAll("-", "")}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
      const shadowUrl = new URL(url);
      shadowUrl.pathname = `/${database}`;
      const shadowPool = createPool(shadowUrl.toString());
      const adapter = withCharColumns(await new PrismaPg(shadowPool).connect());
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await shadowPool.end().catch(() => {});
        await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
        await admin.end();
      };
      return adapter;
    },
  });
}

// The engine reports a Rust panic's message through this global before it throws.
const panicRegistry = {
  message: "",
  set_message(message: string) {
    this.message = `schema engine panic: ${message}`;
  },
};
(globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY = panicRegistry;

let engineModule: Promise<typeof SchemaEngine> | undefined;

// Once per process: the glue module keeps one global instance and caches views of its
// memory, so a second instantiation would leave those views pointing at the first one.
function loadSchemaEngine() {
  engineModule ??= instantiateSchemaEngine();
  return engineModule;
}

async function instantiateSchemaEngine() {
  // The package's entry imports the .wasm file as an ES module, which Node 20 only allows
  // behind --experimental-wasm-modules; instantiating it here needs no flag.
  const bg = await import("@prisma/schema-engine-wasm/schema_engine_bg");
  const wasmPath = path.join(path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")), "schema_engine_bg.wasm");
  const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), { "./schema_engine_bg.js": bg });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return bg.SchemaEngine;
}

function readMigrations(migrationsDir: string) {
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  const directories = existsSync(migrationsDir)
    ? readdirSync(migrationsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir: migrationsDir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: directories.map((name) => {
      const file = path.join(migrationsDir, name, "migration.sql");
      return {
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: existsSync(file) ? { tag: "ok" as const, value: readFileSync(file, "utf8") } : { tag: "error" as const, value: `missing ${file}` },
        },
      };
    }),
  };
}

const noFilter = { externalTables: [], externalEnums: [] };

async function withEngine<T>(url: string, schemaPath: string, fn: (engine: SchemaEngine) => Promise<T>) {
  const SchemaEngine = await loadSchemaEngine();
  const schema = readFileSync(schemaPath, "utf8");
  const pool = createPool(url);
  const engine = await SchemaEngine.new({ datamodels: [[schemaPath, schema]] }, () => {}, createAdapterFactory(url, pool));
  try {
    return await fn(engine);
  } catch (error) {
    if (panicRegistry.message) throw new Error(panicRegistry.message, { cause: error });
    throw error;
  } finally {
    engine.free();
    await pool.end();
  }
}

/** Applies every migration not yet recorded in `_prisma_migrations`; returns their names. */
export async function applyMigrations(options: { url: string; migrationsDir: string; schemaPath: string }) {
  return withEngine(options.url, options.schemaPath, async (engine) => {
    const out = await engine.applyMigrations({ migrationsList: readMigrations(options.migrationsDir), filters: noFilter });
    return out.appliedMigrationNames;
  });
}

/** SQL that takes a database from the committed migrations to the schema; empty when they agree. */
export async function diffMigrationsToSchema(options: { url: string; migrationsDir: string; schemaPath: string }) {
  return withEngine(options.url, options.schemaPath, async (engine) => {
    const migrations = readMigrations(options.migrationsDir);
    const from = migrations.migrationDirectories.length ? { tag: "migrations" as const, ...migrations } : { tag: "empty" as const };
    const result = await engine.diff({
      from,
      to: { tag: "schemaDatamodel", files: [{ path: options.schemaPath, content: readFileSync(options.schemaPath, "utf8") }] },
      script: true,
      exitCode: true,
      filters: noFilter,
    });
    return result.exitCode === 2 ? (result.stdout ?? "") : "";
  });
}
