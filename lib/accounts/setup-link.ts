import "server-only";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { hasAnyUser } from "@/lib/accounts/service/setup";
import { isSetupTokenValid, issueSetupToken } from "@/lib/accounts/service/setup-token";
import { ONE_TIME_TOKEN } from "@/lib/auth/one-time-token";

// At start, while no admin exists: print the one-time /setup link and keep
// its token in the data directory (mode 0600), so a restart prints the same
// link and an operator without the terminal output can still find it.

export function setupTokenFile(): string {
  return path.resolve(env().SWITCHBOARD_DATA_DIR, "setup-token");
}

function readToken(file: string): string | null {
  try {
    const token = fs.readFileSync(file, "utf8").trim();
    return ONE_TIME_TOKEN.test(token) ? token : null;
  } catch {
    return null;
  }
}

/** Written aside and renamed into place, readable by the server's user only. */
function writeToken(file: string, token: string): boolean {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, `${token}\n`, { mode: 0o600 });
    fs.renameSync(temp, file);
    return true;
  } catch (err) {
    logger.warn("setup: could not write the setup token file; use the printed link", { file, reason: (err as NodeJS.ErrnoException).code ?? "unknown" });
    return false;
  }
}

export async function announceSetupLink(): Promise<void> {
  const file = setupTokenFile();
  if (await hasAnyUser()) {
    fs.rmSync(file, { force: true }); // set up (perhaps through another instance): the token is dead
    return;
  }
  let token = readToken(file);
  let saved = token !== null;
  if (!token || !(await isSetupTokenValid(token))) {
    token = await issueSetupToken();
    if (!token) return; // set up meanwhile
    saved = writeToken(file, token);
  }
  const link = new URL(`/setup?token=${token}`, env().NEXTAUTH_URL ?? "http://localhost:3000").toString();
  // Plain text, not a JSON log line: this is the one thing a newcomer needs to click.
  console.log(
    [
      "",
      "No admin account exists yet. Create it here (the link works once):",
      "",
      `  Open ${link}`,
      "",
      ...(saved ? [`The link's token is also in ${file}.`, ""] : []),
    ].join("\n"),
  );
}
