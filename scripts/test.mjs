// `npm test`: route types, type check ∥ lint, unit, production build, integration
// (PostgreSQL when DATABASE_URL is set, else PGlite; one of them starts the
// built server as `npm start` does) and Playwright e2e in
// Debian's Chromium. Installs Chromium with apt when it is missing and we are
// root; otherwise says exactly what is missing. Prints a summary with the
// time of each step, the test counts and the failed tests by name.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { APT_PACKAGES, HEADLESS_SHELL, chromiumExecutable } from "./lib/chromium.mjs";

const RESULTS = "test-results";
// Vitest runs test files in worker threads that share one libuv pool (scrypt, fs, DNS): 8 instead of 4.
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? "8" };
// Set below for the build step only, and only once the type check has passed.
delete env.SWITCHBOARD_BUILD_TYPECHECKED;
const bin = (name) => path.join("node_modules", ".bin", name);

function preflight() {
  if (!fs.existsSync("node_modules")) fail("node_modules is missing: run `npm install` first.");
  if (fs.existsSync(HEADLESS_SHELL)) return;
  if (process.getuid?.() === 0) {
    console.log(`Chromium's headless shell is missing; installing Debian's packages (apt-get install -y ${APT_PACKAGES.join(" ")})…`);
    const update = spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
    const install = spawnSync("apt-get", ["install", "-y", "-qq", ...APT_PACKAGES], { stdio: "inherit", env: { ...env, DEBIAN_FRONTEND: "noninteractive" } });
    if (update.status === 0 && install.status === 0 && fs.existsSync(HEADLESS_SHELL)) return;
  }
  // The full browser works too, about half as fast.
  if (chromiumExecutable()) return console.log(`Using ${chromiumExecutable()}; \`apt-get install -y chromium-headless-shell\` (as root) makes the browser tests faster.`);
  fail(`Chromium is missing (${HEADLESS_SHELL} or ${CHROMIUM}). Install Debian's packages as root: apt-get install -y ${APT_PACKAGES.join(" ")} (never \`npx playwright install\`).`);
}

function fail(message) {
  console.error(`\nnpm test: ${message}\n`);
  process.exit(1);
}

function vitestCounts(file) {
  try {
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    return { passed: r.numPassedTests, failed: r.numFailedTests + (r.numTodoTests ?? 0) };
  } catch {
    return null;
  }
}

/** "file › test: first line of the error" for each failed Vitest test, so the summary (often all a CI log keeps) names them. */
function vitestFailures(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")).testResults.flatMap((f) => [
      ...(f.status === "failed" && !f.assertionResults.some((a) => a.status === "failed") ? [`${path.relative(".", f.name)}: ${firstLine(f.message)}`] : []),
      ...f.assertionResults
        .filter((a) => a.status === "failed")
        .map((a) => `${path.relative(".", f.name)} › ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`),
    ]);
  } catch {
    return [];
  }
}

function playwrightFailures(file) {
  const failures = [];
  const walk = (suite) => {
    for (const spec of suite.specs ?? [])
      for (const t of spec.tests ?? [])
        if (t.status === "unexpected" || t.status === "flaky")
          failures.push(`${spec.file}:${spec.line} › ${spec.title}: ${firstLine(t.results?.at(-1)?.error?.message)}`);
    for (const child of suite.suites ?? []) walk(child);
  };
  try {
    for (const suite of JSON.parse(fs.readFileSync(file, "utf8")).suites) walk(suite);
  } catch {
    return [];
  }
  return failures;
}

function firstLine(text) {
  return (text ?? "").replace(/\u001b\[[0-9;]*m/g, "").split("\n").find((l) => l.trim())?.trim().slice(0, 200) ?? "";
}

function playwrightCounts(file) {
  try {
    const s = JSON.parse(fs.readFileSync(file, "utf8")).stats;
    return { passed: s.expected, failed: s.unexpected + s.flaky };
  } catch {
    return null;
  }
}

const steps = [
  { name: "prisma generate", cmd: process.execPath, args: ["scripts/prisma-generate.mjs"] },
  // The page, layout and route types (.next/types) that tsc checks below; the build would write them only later.
  { name: "route types", cmd: bin("next"), args: ["typegen"] },
  // Both single-threaded: on two cores they run side by side (their output is printed one after the other).
  [
    { name: "type check", cmd: bin("tsc"), args: ["--noEmit"] },
    { name: "lint", cmd: bin("eslint"), args: ["--max-warnings=0", "."] },
  ],
  {
    name: "unit",
    cmd: bin("vitest"),
    args: ["run", "tests/unit", "--reporter=default", "--reporter=json", `--outputFile.json=${RESULTS}/unit.json`],
    counts: () => vitestCounts(`${RESULTS}/unit.json`),
    failures: () => vitestFailures(`${RESULTS}/unit.json`),
  },
  {
    name: "build",
    cmd: bin("next"),
    args: ["build"],
    // `next build` would run the same tsc check again (about 25 s); next.config.mjs skips it only when told
    // that the type check above passed on this tree.
    env: () => (outcomes.find((o) => o.name === "type check")?.status === 0 ? { SWITCHBOARD_BUILD_TYPECHECKED: "1" } : {}),
  },
  {
    name: `integration (${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"})`,
    cmd: bin("vitest"),
    args: ["run", "tests/integration", "--reporter=default", "--reporter=json", `--outputFile.json=${RESULTS}/integration.json`],
    counts: () => vitestCounts(`${RESULTS}/integration.json`),
    failures: () => vitestFailures(`${RESULTS}/integration.json`),
  },
  {
    name: "e2e (Playwright, Chromium)",
    cmd: process.execPath,
    args: ["scripts/e2e.mjs"],
    needs: "build",
    counts: () => playwrightCounts(`${RESULTS}/e2e.json`),
    failures: () => playwrightFailures(`${RESULTS}/e2e.json`),
  },
];

preflight();
fs.mkdirSync(RESULTS, { recursive: true });
// Stale reports from an earlier run must never supply this run's counts.
for (const report of ["unit.json", "integration.json", "e2e.json"]) fs.rmSync(path.join(RESULTS, report), { force: true });
const outcomes = [];
for (const entry of steps) {
  const group = Array.isArray(entry) ? entry : [entry];
  if (group.length === 1) outcomes.push(runStep(group[0]));
  else outcomes.push(...(await Promise.all(group.map(runBuffered))));
}

function skipped(step) {
  return step.needs && outcomes.find((o) => o.name === step.needs)?.status !== 0;
}

function outcome(step, status, started) {
  return { name: step.name, status: status ?? 1, seconds: (Date.now() - started) / 1000, counts: step.counts?.(), failures: step.failures?.() ?? [] };
}

function runStep(step) {
  if (skipped(step)) return { name: step.name, status: "skipped", seconds: 0 };
  console.log(`\n━━ ${step.name} ━━`);
  const started = Date.now();
  const r = spawnSync(step.cmd, step.args, { stdio: "inherit", env: { ...env, ...step.env?.() } });
  return outcome(step, r.status, started);
}

/** Runs a step beside others; prints its output in one piece when it ends. */
function runBuffered(step) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(step.cmd, step.args, { stdio: ["ignore", "pipe", "pipe"], env: { ...env, ...step.env?.() } });
    const chunks = [];
    child.stdout.on("data", (c) => chunks.push(c));
    child.stderr.on("data", (c) => chunks.push(c));
    child.on("error", (error) => chunks.push(Buffer.from(`${error.message}\n`)));
    child.on("close", (status) => {
      console.log(`\n━━ ${step.name} ━━`);
      process.stdout.write(Buffer.concat(chunks));
      resolve(outcome(step, status, started));
    });
  });
}

let passed = 0;
let failed = 0;
console.log("\n━━ summary ━━");
for (const o of outcomes) {
  const c = o.counts ? ` (${o.counts.passed} passed, ${o.counts.failed} failed)` : "";
  console.log(`${o.status === 0 ? "ok  " : "FAIL"} ${o.name.padEnd(34)} ${o.seconds.toFixed(1).padStart(6)} s${c}`);
  if (o.counts) {
    passed += o.counts.passed;
    failed += o.counts.failed;
  }
  if (o.status !== 0 && !o.counts?.failed) failed += 1; // a failed step without counts still fails the run
}
const ok = outcomes.every((o) => o.status === 0);
const failures = outcomes.flatMap((o) => o.failures ?? []);
if (failures.length) {
  const more = failures.length > 30 ? `\n  … and ${failures.length - 30} more` : "";
  console.log(`\nfailed:\n${failures.slice(0, 30).map((f) => `  ✗ ${f}`).join("\n")}${more}`);
}
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
