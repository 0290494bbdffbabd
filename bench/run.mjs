// `npm run bench [-- --quick] [-- <scenario> …]`: every scenario in one run on
// one fresh database, one table, and bench/results/latest.{json,md}.
// Scenarios run one after another (each stops its servers before the next
// starts) so none measures while another loads the machine. A scenario that
// throws is reported as an error row; the others still run.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createContext, log, ROOT } from "./lib/context.mjs";
import { formatMarkdown, formatTable, machine, machineLine } from "./lib/table.mjs";

const ORDER = ["resolve", "refresh", "list", "rotation"];
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const wanted = args.filter((a) => !a.startsWith("--"));
const unknown = wanted.filter((w) => !ORDER.includes(w));
if (unknown.length > 0) {
  console.error(`unknown scenario(s): ${unknown.join(", ")} (known: ${ORDER.join(", ")})`);
  process.exit(2);
}

const available = ORDER.filter((name) => fs.existsSync(path.join(ROOT, "bench", `${name}.mjs`)));
const selected = available.filter((name) => wanted.length === 0 || wanted.includes(name));
for (const name of ORDER.filter((n) => !available.includes(n) && (wanted.length === 0 || wanted.includes(n)))) log(`bench/${name}.mjs is not there yet; skipped`);

const started = performance.now();
// Before anything runs: the date the run started and how busy the machine already was.
const m = machine();
const { ctx, close } = await createContext({ quick });
const results = [];
try {
  for (const name of selected) {
    log(`── ${name} ──`);
    const t0 = performance.now();
    try {
      const { run } = await import(pathToFileURL(path.join(ROOT, "bench", `${name}.mjs`)).href);
      results.push({ name, ...(await run(ctx)) });
    } catch (err) {
      console.error(err);
      results.push({ name, title: name, rows: [{ metric: `error: ${String(err.message).split("\n")[0].slice(0, 120)}`, value: "", pass: false }] });
    }
    log(`${name} took ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
} finally {
  await close();
}

const seconds = Math.round((performance.now() - started) / 1000);
console.log(`\n${formatTable(results)}\n\n${machineLine(m)}${quick ? " (--quick: shortened runs, not figures to quote)" : ""}; bench took ${seconds} s`);

const dir = path.join(ROOT, "bench", "results");
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, "latest.json"), JSON.stringify({ machine: m, quick, seconds, results }, null, 2) + "\n");
fs.writeFileSync(path.join(dir, "latest.md"), `${formatMarkdown(results)}\n\n${machineLine(m)}${quick ? " (--quick)" : ""}\n`);
log(`wrote bench/results/latest.json and latest.md`);
process.exit(results.some((r) => r.rows.some((row) => row.pass === false)) ? 1 : 0);
