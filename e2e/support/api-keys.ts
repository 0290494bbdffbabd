import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, type Page } from "@playwright/test";

export const API_KEYS_PATH = "/admin/settings/api-keys";
const SCOPE_LABEL = { admin: /^Admin —/, user: /^User —/, consumer: /^Consumer —/ } as const;

/** Creates a key through the form as an operator would and returns it from the shown-once panel (left open). */
export async function createKeyInUi(page: Page, opts: { name: string; scope: keyof typeof SCOPE_LABEL; connections?: string[]; expires?: string }): Promise<string> {
  await page.goto(API_KEYS_PATH);
  const form = page.getByRole("region", { name: "Create a key" });
  await form.getByLabel("Name").fill(opts.name);
  await form.getByRole("radio", { name: SCOPE_LABEL[opts.scope] }).check();
  if (opts.expires) await form.getByLabel("Expires").selectOption({ label: opts.expires });
  for (const c of opts.connections ?? []) await form.getByRole("checkbox", { name: c }).check();
  await form.getByRole("button", { name: "Create key" }).click();
  const value = form.getByRole("textbox", { name: "New API key" });
  await expect(value).toHaveValue(/^swb_[0-9A-Za-z]{60}$/);
  return value.inputValue();
}

export type TCurl = { status: number; body: string };

/** Runs the real curl binary, as an operator's script would. */
export async function curl(args: string[]): Promise<TCurl> {
  const { stdout } = await promisify(execFile)("curl", ["-sS", "-w", "\n%{http_code}", ...args]);
  const at = stdout.lastIndexOf("\n");
  return { body: stdout.slice(0, at), status: Number(stdout.slice(at + 1)) };
}
