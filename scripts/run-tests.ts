// Runs a group of node:test files, one file at a time (they share one PostgreSQL cluster
// and the machine's two cores). Node 20's --test takes no globs, so the files are listed here.
// Unit tests mirror the modules they test (test/unit/server/pipeline/pacing.test.ts tests
// server/pipeline/pacing.ts), so their folders are read recursively.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const groups: Record<string, string[]> = {
  unit: ["test/unit", "packages/render-contract/test", "packages/object-store/test", "render-worker/test"],
  integration: ["test/integration"],
  // The container images; scripts/check-images.sh builds them first.
  images: ["test/images"],
};
const group = process.argv[2] ?? "unit";
const dirs = groups[group];
if (!dirs) throw new Error(`unknown test group ${group}; use one of ${Object.keys(groups).join(", ")}`);
const files = dirs.flatMap((dir) =>
  readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".test.ts"))
    .sort()
    .map((f) => path.join(dir, f)),
);
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=1", ...files], { cwd: root, stdio: "inherit" });
process.exit(result.status ?? 1);
