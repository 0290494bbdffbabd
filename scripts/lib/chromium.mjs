// Which Debian Chromium build the browser tests drive. Both come from
// Debian's chromium source package: `chromium-headless-shell` is its headless
// build (the "old headless" shell, what Playwright itself uses for headless
// runs) and opens contexts and pages about twice as fast on this kind of
// machine as the full browser in its new headless mode; `chromium` is the
// full browser, used when the shell is not installed.
import fs from "node:fs";

export const HEADLESS_SHELL = "/usr/bin/chromium-headless-shell";
export const CHROMIUM = "/usr/bin/chromium";
export const APT_PACKAGES = ["chromium", "chromium-headless-shell"];

/** The executable to launch, or null when neither is installed. */
export function chromiumExecutable() {
  if (fs.existsSync(HEADLESS_SHELL)) return HEADLESS_SHELL;
  if (fs.existsSync(CHROMIUM)) return CHROMIUM;
  return null;
}
