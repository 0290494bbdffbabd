// One table for every scenario's rows: scenario, metric, value, baseline,
// ratio, target, pass/fail. Plain text for the terminal, Markdown for
// bench/results/latest.md (what the README's Performance section pastes).
import os from "node:os";

const COLUMNS = ["scenario", "metric", "value", "baseline", "ratio", "target", "result"];

function num(v) {
  if (typeof v !== "number") return String(v);
  if (Number.isInteger(v)) return v.toLocaleString("en-US");
  const abs = Math.abs(v);
  return v.toLocaleString("en-US", { maximumFractionDigits: abs >= 100 ? 0 : abs >= 10 ? 1 : 2 });
}

function withUnit(v, unit) {
  if (v === undefined || v === null) return "";
  return unit ? `${num(v)} ${unit}` : num(v);
}

/** The cells of one row, as strings. */
function cells(title, row) {
  return {
    scenario: title,
    metric: row.metric,
    value: withUnit(row.value, row.unit),
    baseline: withUnit(row.baseline, row.unit),
    ratio: row.ratio === undefined ? "" : `${num(Number(row.ratio.toFixed(2)))}×`,
    target: row.target ?? "",
    result: row.pass === undefined ? "" : row.pass ? "pass" : "FAIL",
  };
}

function allCells(results) {
  return results.flatMap((r) => r.rows.map((row, i) => cells(i === 0 ? r.title : "", row)));
}

export function formatTable(results) {
  const rows = allCells(results);
  const width = Object.fromEntries(COLUMNS.map((c) => [c, Math.max(c.length, ...rows.map((r) => r[c].length))]));
  const line = (r) => COLUMNS.map((c) => r[c].padEnd(width[c])).join("  ").trimEnd();
  const header = line(Object.fromEntries(COLUMNS.map((c) => [c, c])));
  return [header, COLUMNS.map((c) => "-".repeat(width[c])).join("  "), ...rows.map(line)].join("\n");
}

export function formatMarkdown(results) {
  const rows = allCells(results);
  const esc = (s) => s.replaceAll("|", "\\|");
  return [`| ${COLUMNS.join(" | ")} |`, `|${COLUMNS.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${COLUMNS.map((c) => esc(r[c])).join(" | ")} |`)].join("\n");
}

/** Cores, CPU model, Node version, date and the 1-minute load average: the line printed with every table. */
export function machine() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: (cpus[0]?.model ?? "unknown").replace(/\s+/g, " ").trim(),
    node: process.version,
    date: new Date().toISOString(),
    // Figures from a machine busy with other work are not comparable: say how busy it was.
    loadAverage: Number(os.loadavg()[0].toFixed(1)),
  };
}

export function machineLine(m = machine()) {
  return `Machine: ${m.cores} cores, ${m.cpu}, Node ${m.node}, ${m.date.slice(0, 16).replace("T", " ")} UTC, load average ${m.loadAverage} when the bench started`;
}
