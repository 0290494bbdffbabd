import type { Request } from "@playwright/test";
import { dismissToast, expect, test } from "./support/test";
import { addConnection, LIST_PATH, uniqueName } from "./support/connections";
import { VIEWER } from "./support/env";
import { addMember } from "./support/members";

/** The headers a browser sends with a server action call (cookies travel separately). */
function actionHeaders(request: Request): Record<string, string> {
  const all = request.headers();
  const keep = ["next-action", "content-type", "accept", "next-router-state-tree", "origin"];
  return Object.fromEntries(keep.filter((k) => all[k] !== undefined).map((k) => [k, all[k]!]));
}

// Two browsers and an invite (password hashes take about a second each).
test.slow();

test("a viewer sees connections without edit controls, and a forged action call is refused", async ({ page, browser, baseURL }) => {
  // The admin adds a connection and a viewer.
  const name = uniqueName("shared");
  const uuid = await addConnection(page, "Mistral AI", name);

  await addMember(page, browser, baseURL!, VIEWER, "viewer");
  await page.goto("/admin/settings/members");
  await expect(page.getByRole("list", { name: "Members" }).getByRole("listitem").filter({ hasText: VIEWER.email })).toContainText("viewer");

  // A real rename from the admin's browser, recorded as it goes over the wire.
  const adminName = `${name}-adm`;
  await page.goto(`${LIST_PATH}/${uuid}`);
  const actionPost = page.waitForRequest((r) => r.method() === "POST" && r.headers()["next-action"] !== undefined);
  await page.getByRole("button", { name: "Rename" }).click();
  await page.getByRole("textbox", { name: "Connection name" }).fill(adminName);
  await page.getByRole("button", { name: "Save name" }).click();
  const captured = await actionPost;
  await dismissToast(page, `Renamed to “${adminName}”.`);
  const body = captured.postData() ?? "";
  expect(body).toContain(uuid);
  expect(body).toContain(`"${adminName}"`);

  // The viewer signs in in a browser of their own.
  const viewerContext = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const viewer = await viewerContext.newPage();
  await viewer.goto("/login");
  await viewer.getByLabel("Email").fill(VIEWER.email);
  await viewer.getByLabel("Password").fill(VIEWER.password);
  await viewer.getByRole("button", { name: "Sign in" }).click();
  await expect(viewer).toHaveURL(new RegExp(`${LIST_PATH}$`));
  await expect(viewer.getByRole("complementary").getByText("Viewer (read-only)")).toBeVisible();

  // List: the connection, but nothing that changes anything.
  const label = `Mistral AI “${adminName}”`;
  await expect(viewer.getByRole("link", { name: adminName, exact: true })).toBeVisible();
  await expect(viewer.getByRole("button", { name: "Add connection" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: /^Add / })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: `Disconnect ${label}` })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: `Remove ${label}` })).toHaveCount(0);

  // Connection page: read-only.
  await viewer.getByRole("link", { name: `View ${label}` }).click();
  await expect(viewer).toHaveURL(new RegExp(`${LIST_PATH}/${uuid}$`));
  await expect(viewer.getByTestId("connection-name")).toHaveText(adminName);
  await expect(viewer.getByText("You have read-only access.")).toBeVisible();
  await expect(viewer.getByRole("button", { name: "Rename" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Save", exact: true })).toHaveCount(0);
  await expect(viewer.getByRole("region", { name: "Danger zone" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: /Disconnect|Remove/ })).toHaveCount(0);

  // The viewer replays the admin's action call with their own cookies.
  const forged = await viewerContext.request.post(captured.url(), {
    headers: actionHeaders(captured),
    data: body.replace(`"${adminName}"`, '"forged-by-viewer"'),
    maxRedirects: 0,
  });
  const forgedText = await forged.text();
  expect(forgedText).not.toContain('"ok":true');
  expect(forgedText).toContain('"code":"forbidden"');

  await page.reload();
  await expect(page.getByTestId("connection-name")).toHaveText(adminName);
  await page.goto(`/admin/audit?target=${uuid}&action=connection_renamed`);
  await expect(page.getByRole("row").filter({ hasText: "forged-by-viewer" })).toHaveCount(0);

  // Control: the same replay with the admin's cookies is a well-formed call that works,
  // so the refusal above is the role check and not a malformed request.
  const replayed = await page.request.post(captured.url(), {
    headers: actionHeaders(captured),
    data: body.replace(`"${adminName}"`, `"${name}-replayed"`),
    maxRedirects: 0,
  });
  expect(await replayed.text()).toContain('"ok":true');
  await page.goto(`${LIST_PATH}/${uuid}`);
  await expect(page.getByTestId("connection-name")).toHaveText(`${name}-replayed`);

  await viewerContext.close();
});
