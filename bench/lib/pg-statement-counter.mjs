// Counts the SQL statements an app process sends to PostgreSQL, from the
// outside: a TCP relay between the app and the server that reads the
// frontend side of the wire protocol (simple Query 'Q' and extended-protocol
// Execute 'E' messages) and forwards every byte untouched. Used by the list
// benchmark and its integration test to count "statements per page view"
// without instrumenting the app (pg_stat_statements needs a server restart
// with shared_preload_libraries; this does not).
import net from "node:net";

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

function cstring(buf, offset) {
  const end = buf.indexOf(0, offset);
  return { text: buf.toString("utf8", offset, end), next: end + 1 };
}

/** One client connection's frontend messages; calls onStatement(sql) per executed statement. */
function frontendParser(onStatement) {
  let pending = Buffer.alloc(0);
  let started = false;
  const parsed = new Map(); // prepared statement name → SQL
  const portals = new Map(); // portal name → statement name
  return (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (;;) {
      if (!started) {
        if (pending.length < 8) return;
        const length = pending.readInt32BE(0);
        if (pending.length < length) return;
        const code = pending.readInt32BE(4);
        // SSL/GSS negotiation and cancel requests precede (or replace) the startup message.
        if (code !== SSL_REQUEST && code !== GSS_REQUEST && code !== CANCEL_REQUEST) started = true;
        pending = pending.subarray(length);
        continue;
      }
      if (pending.length < 5) return;
      const type = String.fromCharCode(pending[0]);
      const length = pending.readInt32BE(1);
      if (pending.length < 1 + length) return;
      const body = pending.subarray(5, 1 + length);
      if (type === "Q") onStatement(cstring(body, 0).text);
      else if (type === "P") {
        const name = cstring(body, 0);
        parsed.set(name.text, cstring(body, name.next).text);
      } else if (type === "B") {
        const portal = cstring(body, 0);
        portals.set(portal.text, cstring(body, portal.next).text);
      } else if (type === "E") {
        const portal = cstring(body, 0).text;
        onStatement(parsed.get(portals.get(portal) ?? "") ?? "<unknown prepared statement>");
      }
      pending = pending.subarray(1 + length);
    }
  };
}

/**
 * Starts the relay on 127.0.0.1 (a free port) in front of `databaseUrl`'s
 * server. Returns the URL to give the app (same database, user, options) and
 * the statements seen since the last reset().
 */
export async function startStatementCounter(databaseUrl) {
  const target = new URL(databaseUrl);
  const statements = [];
  const sockets = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    const parse = frontendParser((sql) => statements.push(sql));
    client.on("data", (chunk) => {
      parse(chunk);
      upstream.write(chunk);
    });
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("close", end).on("error", end);
    upstream.on("close", end).on("error", end);
  });
  await new Promise((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String(server.address().port);
  return {
    url: url.toString(),
    /** Statements executed since the last reset(), in order. */
    statements: () => [...statements],
    reset: () => void statements.splice(0),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
