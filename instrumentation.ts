// Runs once when the server starts, before it serves a request: open the
// database (applying pending migrations) and load the key ring, so
// configuration errors stop the server at boot with a clear message. Under
// the custom server (server/main.mjs) the URL is announced only after this.
export async function register() {
  // Not configuration (lib/env.ts reads that): Next replaces NEXT_RUNTIME with a
  // literal in each bundle at build time, which drops the Node-only boot code
  // from the edge bundle. Behind a function or a constant from another module
  // the edge bundle would compile lib/db.ts and warn about every Node API.
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootServer } = await import("@/lib/boot");
  await bootServer();
}
