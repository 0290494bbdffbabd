import { dismissToast, expect, test } from "./support/test";

test.use({ permissions: ["clipboard-read", "clipboard-write"] });

test("the API docs page lists every endpoint and tool with copyable examples for this server", async ({ page, baseURL }) => {
  await page.goto("/admin/api-docs");
  await expect(page.getByRole("heading", { name: "API docs", level: 1 })).toBeVisible();
  for (const tool of ["admin_list_integrations", "admin_set_integration_credentials", "admin_remove_integration_credentials", "list_connections", "list_providers", "get_connection_status"]) {
    await expect(page.getByRole("heading", { name: new RegExp(`^${tool}`) })).toBeVisible();
  }
  await expect(page.getByText("PUT /api/admin/integrations/{key}/credentials")).toBeVisible();
  await page.getByRole("button", { name: "Copy MCP client configuration" }).click();
  await dismissToast(page, "Copied to the clipboard.");
  const config = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
  expect(config).toEqual({ mcpServers: { switchboard: { type: "http", url: `${baseURL}/api/mcp`, headers: { Authorization: "Bearer $SWITCHBOARD_API_KEY" } } } });
  await page.getByRole("button", { name: "Copy List integrations" }).click();
  await dismissToast(page, "Copied to the clipboard.");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`curl ${baseURL}/api/admin/integrations \\\n  -H "Authorization: Bearer $SWITCHBOARD_API_KEY"`);
  // Every tool has its own copyable calls, generated from its input schema.
  for (const tool of ["admin_list_integrations", "admin_set_integration_credentials", "admin_remove_integration_credentials", "list_connections", "list_providers", "get_connection_status"]) {
    await expect(page.getByRole("button", { name: `Copy ${tool} (Power Automate)` })).toBeVisible();
    await expect(page.getByRole("button", { name: `Copy ${tool} (MCP tools/call)` })).toBeVisible();
  }
  await page.getByRole("button", { name: "Copy admin_set_integration_credentials (MCP tools/call)" }).click();
  await dismissToast(page, "Copied to the clipboard.");
  const mcpCall = await page.evaluate(() => navigator.clipboard.readText());
  expect(mcpCall).toContain(`curl -X POST ${baseURL}/api/mcp`);
  expect(mcpCall).toContain('"params":{"name":"admin_set_integration_credentials","arguments":{"integration_key":"openai","value":"your-new-key"}}');
  await page.getByRole("link", { name: "/api/openapi.json" }).click();
  await expect(page).toHaveURL(/\/api\/openapi\.json$/);
});
