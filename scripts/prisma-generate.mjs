// `prisma generate` offline: every Prisma CLI command first tries to download
// the native schema engine, unless PRISMA_SCHEMA_ENGINE_BINARY names an
// executable. Generate never runs it, so Node itself stands in.
import { spawnSync } from "node:child_process";
import path from "node:path";

const bin = path.join("node_modules", ".bin", "prisma");
const result = spawnSync(bin, ["generate"], {
  stdio: ["ignore", "pipe", "inherit"],
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
});
if (result.status !== 0) {
  process.stdout.write(result.stdout ?? "");
  process.exit(result.status ?? 1);
}
console.log("prisma client generated");
