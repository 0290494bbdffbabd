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

  it("does not claim a mistyped API key is refused without a lookup (authenticateApiKey looks every key up, for even timing)", () => {
    const keyFormat = fs.readFileSync(path.resolve(import.meta.dirname, "../../lib/api-keys/key-format.ts"), "utf8");
    const authenticate = fs.readFileSync(path.resolve(import.meta.dirname, "../../lib/api-keys/service/authenticate-api-key.ts"), "utf8");
    // The code: the lookup runs before the format problem is answered.
    expect(authenticate.indexOf("prisma.apiKey.findFirst")).toBeGreaterThan(-1);
    expect(authenticate.indexOf("prisma.apiKey.findFirst")).toBeLessThan(authenticate.indexOf("if (problem) return"));
    const flat = (text: string) => text.replace(/\s+/g, " ");
    const claims = [readme, keyFormat].flatMap((text) => flat(text).match(/.{0,60}without (?:a|any) (?:database )?lookup/gi) ?? []);
    expect(claims).toEqual([]);
    expect(flat(readme).includes("fails the checksum is still hashed and looked up")).toBe(true);
  });
});
