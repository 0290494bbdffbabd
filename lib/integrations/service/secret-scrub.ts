import "server-only";
import type { TOpenedConnection } from "./oauth-connection";
import type { TRequestAuth } from "./request-auth";

// An upstream that echoes the credential back (a debug endpoint) gets it
// replaced by "<redacted>" in the headers and the body it answers: every byte
// of every occurrence, overlapping occurrences replaced as one. The body is
// scrubbed as it streams: a chunk whose end cuts a secret off (its last bytes
// are a secret's first ones; at most the longest secret's length − 1) holds
// those bytes back until the next chunk completes or clears them, so a secret
// split across chunks is still caught, and a chunk ending in ordinary text
// (an event of a streamed answer) goes out whole, at once.

export const REDACTED = "<redacted>";
const REDACTED_BYTES = Buffer.from(REDACTED);
/** Shorter values (a region, a port) would match ordinary text. */
const MIN_SCRUBBED_LENGTH = 8;

/**
 * Every secret this call may have put on the wire: the connection's secrets and the auth it sent (a refreshed
 * token, a Basic pair). Of "Bearer <token>" only the token (the scheme is no secret, and the token covers it),
 * unless the token is too short to scrub alone: then the whole header value, which an echo still repeats.
 */
export function sentSecrets(conn: TOpenedConnection, auth: TRequestAuth): string[] {
  const values = new Set(Object.values(conn.secrets));
  for (const v of [...Object.values(auth.headers), ...Object.values(auth.query)]) {
    const token = /^(?:Bearer|Basic)\s+(\S+)$/i.exec(v)?.[1];
    values.add(token && token.length >= MIN_SCRUBBED_LENGTH ? token : v);
  }
  return [...values].filter((v) => v.length >= MIN_SCRUBBED_LENGTH);
}

export type TScrubber = {
  /** A header value, scrubbed. */
  text(value: string): string;
  /** A body transform; the bytes it holds back come out at the end. */
  stream(): TransformStream<Uint8Array, Uint8Array>;
};

export function secretScrubber(secrets: string[]): TScrubber {
  const needles = [...new Set(secrets)].filter((s) => s.length > 0).map((s) => Buffer.from(s, "utf8"));
  return {
    text: (value) => Buffer.concat(scrub(Buffer.from(value, "utf8"), needles, true).out).toString("utf8"),
    stream() {
      if (needles.length === 0) return new TransformStream();
      let rest: Buffer = Buffer.alloc(0);
      const pass = (chunk: Uint8Array, final: boolean, controller: TransformStreamDefaultController<Uint8Array>) => {
        const view = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        const done = scrub(rest.length > 0 ? Buffer.concat([rest, view]) : view, needles, final);
        rest = done.rest;
        const bytes = done.out.length === 1 ? done.out[0]! : Buffer.concat(done.out);
        if (bytes.length > 0) controller.enqueue(bytes);
      };
      return new TransformStream({
        transform: (chunk, controller) => pass(chunk, false, controller),
        flush: (controller) => pass(new Uint8Array(0), true, controller),
      });
    },
  };
}

/**
 * Replaces the secrets in `buf`. Unless `final`, the bytes from where a secret begins that the end of `buf` cuts
 * off (and any run of secrets reaching there) are held back as `rest`, for the front of the next chunk; `out` is
 * final. Overlapping secrets go as one "<redacted>".
 */
function scrub(buf: Buffer, needles: Buffer[], final: boolean): { out: Buffer[]; rest: Buffer } {
  const out: Buffer[] = [];
  // Where each secret next occurs (-1: nowhere); searched again only once passed, so the scan stays linear.
  const next = needles.map((n) => buf.indexOf(n));
  /** The first occurrence of any secret at or after `from` (the longest of those starting there). */
  const occurrence = (from: number): { at: number; end: number } | null => {
    let found: { at: number; end: number } | null = null;
    for (let i = 0; i < needles.length; i++) {
      if (next[i]! !== -1 && next[i]! < from) next[i] = buf.indexOf(needles[i]!, from);
      const at = next[i]!;
      const end = at + needles[i]!.length;
      if (at !== -1 && (!found || at < found.at || (at === found.at && end > found.end))) found = { at, end };
    }
    return found;
  };
  let cut = final ? buf.length : cutOffSecret(buf, needles);
  let from = 0;
  for (let hit = occurrence(0); hit && hit.at < cut; hit = occurrence(from)) {
    let end = hit.end;
    for (let more = occurrence(hit.at + 1); more && more.at < end; more = occurrence(more.at + 1)) end = Math.max(end, more.end);
    if (end > cut) {
      cut = hit.at; // the cut-off secret overlaps this run: both wait for the next chunk
      break;
    }
    out.push(buf.subarray(from, hit.at), REDACTED_BYTES);
    from = end;
  }
  out.push(buf.subarray(from, cut));
  return { out, rest: buf.subarray(cut) };
}

/** Where a secret begins that the end of `buf` cuts off (the next chunk may complete it), or the end: only the last (longest − 1) bytes can. */
function cutOffSecret(buf: Buffer, needles: Buffer[]): number {
  const longest = Math.max(...needles.map((n) => n.length));
  for (let at = Math.max(0, buf.length - longest + 1); at < buf.length; at++) {
    const tail = buf.subarray(at);
    if (needles.some((n) => n.length > tail.length && n.subarray(0, tail.length).equals(tail))) return at;
  }
  return buf.length;
}
