import type { APIRequestContext } from "@playwright/test";
import pg from "pg";
import { DB_KIND, E2E_DATABASE_URL } from "./env";

/**
 * A digest of everything stored, to show a run of requests changed nothing.
 * PostgreSQL: every table's row count and content hash (rate_limits left out:
 * counting an attempt is the one write a refused request may make). The
 * embedded database cannot be opened by a second process, so there the
 * digest is what the app itself shows: the connection count and the audit
 * log's newest entries (every change writes one).
 */
export async function databaseDigest(request: APIRequestContext): Promise<string> {
  if (DB_KIND === "postgres") {
    const client = new pg.Client({ connectionString: E2E_DATABASE_URL });
    await client.connect();
    try {
      const { rows: tables } = await client.query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('_prisma_migrations', 'rate_limits')
         ORDER BY table_name`,
      );
      const parts: string[] = [];
      for (const { name } of tables) {
        const { rows } = await client.query<{ n: number; digest: string | null }>(
          `SELECT count(*)::int AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM "${name}" t`,
        );
        parts.push(`${name}:${rows[0]!.n}:${rows[0]!.digest ?? ""}`);
      }
      return parts.join("\n");
    } finally {
      await client.end();
    }
  }
  // React separates text parts with <!-- --> comments.
  const text = async (path: string) => (await (await request.get(path)).text()).replaceAll("<!-- -->", "");
  const list = await text("/admin/settings/integrations");
  const audit = await text("/admin/audit");
  const count = /Connections <span[^>]*>\((\d+)\)<\/span>/.exec(list)?.[1];
  const entries = [...audit.matchAll(/<tr[^>]*data-action="([a-z_]+)"/g)].map((m) => m[1]).join(",");
  if (count === undefined || entries === "") throw new Error("could not read the app's own view of its data");
  return `connections:${count}\naudit:${entries}`;
}
