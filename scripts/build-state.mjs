// Whether the production build in .next is older than the app's sources.
// `npm start` and `npm run test:e2e` rebuild when it is.
import fs from "node:fs";
import path from "node:path";

const SOURCES = ["app", "components", "lib", "prisma", "public", "package.json", "next.config.mjs", "proxy.ts", "instrumentation.ts", "instrumentation-client.ts", "tsconfig.json", "tailwind.config.ts", "postcss.config.mjs"];
const SKIP = new Set(["generated", "node_modules"]);

function newestMtime(p) {
  if (!fs.existsSync(p)) return 0;
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of fs.readdirSync(p)) if (!SKIP.has(name)) newest = Math.max(newest, newestMtime(path.join(p, name)));
  return newest;
}

/** "missing" without a build, "stale" when a source is newer than .next/BUILD_ID, else "fresh". Paths are relative to `root`. */
export function buildState(root) {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!fs.existsSync(buildId)) return "missing";
  const builtAt = fs.statSync(buildId).mtimeMs;
  return Math.max(...SOURCES.map((s) => newestMtime(path.join(root, s)))) > builtAt ? "stale" : "fresh";
}
