import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { expect, test } from "./support/test";
import { addConnection, LIST_PATH, saveSecret, uniqueName } from "./support/connections";
import { columnsContaining, filesContaining, secretColumn } from "./support/db-scan";
import { ADMIN, DB_KIND, E2E_DATABASE_URL, SERVER_LOG } from "./support/env";

test("a saved secret appears in no page, RSC payload, server log or plaintext column", async ({ page }) => {
  const canary = `canary${randomBytes(16).toString("hex")}`;
  const name = uniqueName("canary");
  const uuid = await addConnection(page, "Stripe", name);
  await saveSecret(page, "Secret key", canary);

  const pages = [LIST_PATH, `${LIST_PATH}/${uuid}`, "/admin/audit", `/admin/audit?target=${uuid}`, "/admin/settings/members", "/admin/settings/security"];
  for (const path of pages) {
    const html = await page.request.get(path);
    expect(html.status(), path).toBe(200);
    expect(html.headers()["content-type"], path).toContain("text/html");
    const htmlText = await html.text();
    expect(htmlText, `${path} is the signed-in page`).toContain(ADMIN.email);
    expect(htmlText, `${path} HTML`).not.toContain(canary);

    const rsc = await page.request.get(path, { headers: { RSC: "1" } });
    expect(rsc.status(), path).toBe(200);
    expect(rsc.headers()["content-type"], path).toContain("text/x-component");
    const rscText = await rsc.text();
    expect(rscText, `${path} RSC payload is the signed-in page`).toContain(ADMIN.email);
    expect(rscText, `${path} RSC payload`).not.toContain(canary);
  }
  // The connection's own page and payload do carry the connection (so the scan above looked at real content).
  expect(await (await page.request.get(`${LIST_PATH}/${uuid}`, { headers: { RSC: "1" } })).text()).toContain(name);

  const log = fs.readFileSync(SERVER_LOG, "utf8");
  expect(log).toContain("database ready");
  expect(log, "server log").not.toContain(canary);

  if (DB_KIND === "postgres") {
    const stored = await secretColumn(E2E_DATABASE_URL!, uuid);
    expect(stored.secret?.length ?? 0).toBeGreaterThan(canary.length); // ciphertext is there
    expect(await columnsContaining(E2E_DATABASE_URL!, name)).toEqual(expect.arrayContaining(["settings.key", "settings.value"]));
    expect(await columnsContaining(E2E_DATABASE_URL!, canary)).toEqual([]);
  } else {
    // The embedded database's files on disk: plaintext columns are stored as-is, the secret is not.
    const dataDir = process.env.E2E_DATA_DIR!;
    expect(filesContaining(dataDir, `integration:stripe:${name}`).length).toBeGreaterThan(0);
    expect(filesContaining(dataDir, canary)).toEqual([]);
  }
});
