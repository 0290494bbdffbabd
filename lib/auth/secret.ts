import "server-only";
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { env, isStrictProduction } from "@/lib/env";

const FILE = "nextauth-secret";
const state = globalThis as typeof globalThis & { __switchboardAuthSecret?: string };

/** NEXTAUTH_SECRET, or on the embedded default a secret generated once into the data directory. */
export function authSecret(): string {
  if (state.__switchboardAuthSecret) return state.__switchboardAuthSecret;
  const e = env();
  if (e.NEXTAUTH_SECRET) return (state.__switchboardAuthSecret = e.NEXTAUTH_SECRET);
  if (isStrictProduction(e)) throw new Error("NEXTAUTH_SECRET is required in production with DATABASE_URL.");
  const file = path.resolve(e.SWITCHBOARD_DATA_DIR, FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
  }
  return (state.__switchboardAuthSecret = fs.readFileSync(file, "utf8").trim());
}
