import "server-only";
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import type { DbTx } from "@/lib/db";
import { pepperRing } from "@/lib/api-keys/pepper";

// Signed anchors of the audit hash chain. The chain alone proves only that
// rows fit together: someone with database write access can change a row and
// recompute every hash after it. An anchor is an HMAC, under a key only the
// server holds (derived with HKDF from the API key pepper), over one row's
// org, seq, id and hash; it cannot be recomputed without that key. Every
// ANCHOR_EVERY-th row of an org is anchored in the transaction that writes
// it, and the newest row after each successful verification.

export const ANCHOR_EVERY = 100;

export type TAnchorTarget = { orgId: string; seq: number; rowId: string; rowHash: string };

const keys = new Map<string, Buffer>();

/** The anchor key of pepper `version`, or null when this server no longer has that version. */
function anchorKey(version: number): Buffer | null {
  const pepper = pepperRing().byVersion.get(version);
  if (!pepper) return null;
  const cacheKey = `${version}:${pepper.toString("base64")}`;
  let key = keys.get(cacheKey);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", pepper, "switchboard audit anchors", "audit-anchor v1", 32));
    keys.set(cacheKey, key);
  }
  return key;
}

function mac(key: Buffer, t: TAnchorTarget): string {
  return createHmac("sha256", key).update(["audit-anchor v1", t.orgId, String(t.seq), t.rowId, t.rowHash].join("\n"), "utf8").digest("hex");
}

/** Whether `stored` is the MAC of `t` under pepper `version`; null when that version is not configured. */
export function anchorMatches(version: number, t: TAnchorTarget, stored: string): boolean | null {
  const key = anchorKey(version);
  if (!key) return null;
  const expected = Buffer.from(mac(key, t), "hex");
  const given = Buffer.from(stored, "hex");
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Signs `t` with the newest pepper and stores it (once per org and seq). */
export async function writeAnchor(tx: Pick<DbTx, "auditAnchor">, t: TAnchorTarget): Promise<void> {
  const ring = pepperRing();
  const key = anchorKey(ring.current)!;
  await tx.auditAnchor.createMany({ data: [{ ...t, keyVersion: ring.current, mac: mac(key, t) }], skipDuplicates: true });
}
