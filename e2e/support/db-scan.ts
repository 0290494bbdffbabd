import fs from "node:fs";
import path from "node:path";
import pg from "pg";

/**
 * Every `table.column` of the public schema whose value contains `needle`:
 * text, varchar, json and jsonb columns as text, bytea columns as bytes.
 */
export async function columnsContaining(databaseUrl: string, needle: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: columns } = await client.query<{ table_name: string; column_name: string; udt_name: string }>(
      `SELECT table_name, column_name, udt_name FROM information_schema.columns
       WHERE table_schema = 'public' AND udt_name IN ('text', 'varchar', 'bpchar', 'json', 'jsonb', 'bytea')
       ORDER BY table_name, column_name`,
    );
    if (columns.length === 0) throw new Error("no scannable columns: wrong database?");
    const hits: string[] = [];
    for (const c of columns) {
      const column = `"${c.table_name}"."${c.column_name}"`;
      const where = c.udt_name === "bytea" ? `position($1::bytea in ${column}) > 0` : `strpos(${column}::text, $1) > 0`;
      const param = c.udt_name === "bytea" ? Buffer.from(needle, "utf8") : needle;
      const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${c.table_name}" WHERE ${where}`, [param]);
      if (rows[0]!.n > 0) hits.push(`${c.table_name}.${c.column_name}`);
    }
    return hits;
  } finally {
    await client.end();
  }
}

export async function secretColumn(databaseUrl: string, uuid: string): Promise<{ secret: Buffer | null; key_version: number | null }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT secret, key_version FROM settings WHERE uuid = $1", [uuid]);
    if (rows.length !== 1) throw new Error(`settings row ${uuid} not found`);
    return rows[0];
  } finally {
    await client.end();
  }
}

/** Files under `dir` whose raw bytes contain `needle` (the embedded database's files on disk). */
export function filesContaining(dir: string, needle: string): string[] {
  const bytes = Buffer.from(needle, "utf8");
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile() && fs.readFileSync(p).includes(bytes)) hits.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return hits;
}
