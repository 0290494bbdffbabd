import { describe, expect, it } from "vitest";
import type { TOpenedConnection } from "@/lib/integrations/service/oauth-connection";
import { secretScrubber, sentSecrets } from "@/lib/integrations/service/secret-scrub";

// The scrub of an upstream's answer as it streams (secret-scrub.ts): a secret
// is replaced wherever the chunks happen to split it, overlapping secrets go
// as one "<redacted>", and the bytes a chunk holds back come out at the end.
// Every case is run whole, split at every place into two chunks, and one
// byte at a time: the answer must be the same each way.

async function streamed(secrets: string[], chunks: Uint8Array[]): Promise<string> {
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      controller.close();
    },
  });
  const out: Uint8Array[] = [];
  const reader = source.pipeThrough(secretScrubber(secrets).stream()).getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) out.push(r.value);
  return Buffer.concat(out).toString("utf8");
}

/** The text scrubbed whole, split at every byte into two chunks, and byte by byte: all the same, or the test says where not. */
async function scrubEveryWay(secrets: string[], text: string): Promise<string> {
  const bytes = Buffer.from(text);
  const whole = await streamed(secrets, [bytes]);
  for (let at = 0; at <= bytes.length; at++) expect(await streamed(secrets, [bytes.subarray(0, at), bytes.subarray(at)]), `split at byte ${at}`).toBe(whole);
  expect(await streamed(secrets, [...bytes].map((b) => Uint8Array.of(b))), "byte by byte").toBe(whole);
  expect(secretScrubber(secrets).text(text), "as a header value").toBe(whole);
  return whole;
}

const TOKEN = "tok_9f8e7d6c5b4a";
const OTHER = "sk-live-0123456789abcdef";

describe("the streaming secret scrub", () => {
  it("replaces a secret wherever the chunks split it", async () => {
    expect(await scrubEveryWay([TOKEN, OTHER], `{"auth":"Bearer ${TOKEN}","again":"${TOKEN}","key":"${OTHER}"}`)).toBe(
      '{"auth":"Bearer <redacted>","again":"<redacted>","key":"<redacted>"}',
    );
  });

  it("a secret at the very start and at the very end of the body", async () => {
    expect(await scrubEveryWay([TOKEN], `${TOKEN} middle ${TOKEN}`)).toBe("<redacted> middle <redacted>");
    expect(await scrubEveryWay([TOKEN], TOKEN)).toBe("<redacted>");
  });

  it("overlapping secrets leave no byte of either", async () => {
    // One ends where the other begins, one inside the other, and a secret overlapping itself.
    expect(await scrubEveryWay(["ABCDEFGH", "EFGHIJKL"], "xxABCDEFGHIJKLyy")).toBe("xx<redacted>yy");
    expect(await scrubEveryWay(["ABCDEFGH", "xABCDEFGHIJ"], "__xABCDEFGHIJ__ABCDEFGH")).toBe("__<redacted>__<redacted>");
    expect(await scrubEveryWay(["abababab"], "-abababababab-")).toBe("-<redacted>-");
    // A longer secret around a shorter one, split where only the shorter one is whole yet.
    expect(await scrubEveryWay(["ABCDEFGH", "XYABCDEFGHZZZZ"], "..XYABCDEFGHZZZZ..ABCDEFGHZZ")).toBe("..<redacted>..<redacted>ZZ");
  });

  it("a secret's beginning at the end of the body is no secret: it comes out as sent", async () => {
    expect(await scrubEveryWay([TOKEN], `ends with ${TOKEN.slice(0, 9)}`)).toBe(`ends with ${TOKEN.slice(0, 9)}`);
    expect(await scrubEveryWay([TOKEN], "no secret here at all")).toBe("no secret here at all");
  });

  it("multi-byte text passes intact, however it is split", async () => {
    expect(await scrubEveryWay([OTHER], `héllo ✓ ${OTHER} 日本語`)).toBe("héllo ✓ <redacted> 日本語");
  });

  it("a chunk that cannot begin a secret goes out at once, not held for the next one", async () => {
    const transform = secretScrubber([TOKEN]).stream();
    const writer = transform.writable.getWriter();
    const reader = transform.readable.getReader();
    void writer.write(Buffer.from('data: {"n":1}\n\n'));
    expect(Buffer.from((await reader.read()).value!).toString()).toBe('data: {"n":1}\n\n');
    // Only the part that may be a secret's start waits.
    void writer.write(Buffer.from(`data: ${TOKEN.slice(0, 5)}`));
    expect(Buffer.from((await reader.read()).value!).toString()).toBe("data: ");
    void writer.write(Buffer.from(`${TOKEN.slice(5)}\n`));
    expect(Buffer.from((await reader.read()).value!).toString()).toBe("<redacted>\n");
    await writer.close();
  });
});

describe("what a call put on the wire, to scrub", () => {
  const conn = (secrets: Record<string, string>) => ({ secrets }) as unknown as TOpenedConnection;
  const auth = (headers: Record<string, string>, query: Record<string, string> = {}) => ({ headers, query });

  it("a token long enough alone is scrubbed alone; its scheme is not a secret", () => {
    expect(sentSecrets(conn({ access_token: "tok-0123456789" }), auth({ authorization: "Bearer tok-0123456789" }))).toEqual(["tok-0123456789"]);
  });

  it("a token too short to scrub alone is scrubbed with its scheme, as an echoed header repeats it", () => {
    const secrets = sentSecrets(conn({ api_key: "abc123" }), auth({ authorization: "Bearer abc123" }));
    expect(secrets).toEqual(["Bearer abc123"]);
    expect(secretScrubber(secrets).text('{"headers":{"authorization":"Bearer abc123"}}')).toBe('{"headers":{"authorization":"<redacted>"}}');
  });

  it("query and header values that are not schemes count whole; short plain values (a region, a port) are left alone", () => {
    expect(sentSecrets(conn({ region: "eu-1" }), auth({ "x-api-key": "key-abcdefgh" }, { token: "q-secret-99" })).sort()).toEqual(["key-abcdefgh", "q-secret-99"]);
  });
});
