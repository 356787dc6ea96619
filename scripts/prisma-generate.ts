// Runs `prisma generate` on machines without Prisma's native schema engine.
// Every Prisma CLI command first looks for that engine; generate itself does not use it,
// so we point PRISMA_SCHEMA_ENGINE_BINARY at a script that exits 1 (never /bin/true, which
// would make `migrate deploy` report success while applying nothing).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const env: NodeJS.ProcessEnv = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const dir = path.join(root, ".data");
  mkdirSync(dir, { recursive: true });
  const stub = path.join(dir, "no-schema-engine.sh");
  if (!existsSync(stub)) {
    writeFileSync(stub, "#!/bin/sh\necho 'the native schema engine is not installed; use npm run db:migrate' >&2\nexit 1\n", { mode: 0o755 });
  }
  env.PRISMA_SCHEMA_ENGINE_BINARY = stub;
}
const result = spawnSync(process.execPath, [path.join(root, "node_modules/prisma/build/index.js"), "generate"], {
  cwd: root,
  env,
  stdio: "inherit",
});
process.exit(result.status ?? 1);
