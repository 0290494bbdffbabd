import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ZEnv } from "@/lib/env";

// The README is the operator's manual: every setting the app reads is a row of
// its configuration table, and the quick start warns about the one install
// message that looks alarming but is not.
const readme = fs.readFileSync(path.resolve(import.meta.dirname, "../../README.md"), "utf8");

describe("README", () => {
  it.each(Object.keys(ZEnv.shape))("documents %s in the configuration table", (name) => {
    expect(readme).toMatch(new RegExp(`^\\| \`${name}\` \\|`, "m"));
  });

  it("names no setting in its configuration table that the app does not read", () => {
    const documented = [...readme.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1] ?? "");
    expect(documented.filter((name) => !(name in ZEnv.shape))).toEqual([]);
  });

  it("explains the EBADENGINE warnings npm prints on Node 20", () => {
    expect(readme).toMatch(/EBADENGINE/);
    expect(readme).toMatch(/harmless/i);
  });
});
