// The launcher's settings (where `npm start` listens), as part of the one
// configuration schema: lib/env.ts spreads `launchEnvShape` into ZEnv, and the
// custom server (server/main.mjs, plain Node, no TypeScript) validates its own
// settings with the same definitions before Next.js loads. Plain JS so both
// can import it without a compile step; it never reads process.env itself.
import { z } from "zod";

const PORT_RULE = "must be a port number (1–65535)";

export const launchEnvShape = {
  /** Port for `npm start`. */
  PORT: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.coerce.number({ error: PORT_RULE }).int(PORT_RULE).min(1, PORT_RULE).max(65_535, PORT_RULE).default(3000),
  ),
  // Loopback by default: until /setup has run, whoever reaches it first becomes
  // the admin. Not HOSTNAME: containers set that to their own name.
  /** Interface `npm start` listens on. */
  SWITCHBOARD_HOST: z
    .string()
    .regex(/^[0-9a-zA-Z.:[\]-]+$/, "must be an interface address such as 127.0.0.1, 0.0.0.0 or ::")
    .optional()
    .or(z.literal("").transform(() => undefined))
    .transform((v) => v ?? "127.0.0.1"),
};

export const ZLaunchEnv = z.object(launchEnvShape);

/**
 * One message naming each bad variable and the rule it breaks (lib/env.ts uses it too).
 * @param {z.ZodError} error
 */
export function describeEnvError(error) {
  const lines = error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
  return `Invalid configuration in the environment:\n${lines.join("\n")}`;
}

/**
 * The launcher's settings from an environment, validated.
 * @param {Record<string, string | undefined>} source
 * @returns {z.output<typeof ZLaunchEnv>}
 */
export function parseLaunchEnv(source) {
  const parsed = ZLaunchEnv.safeParse(source);
  if (!parsed.success) throw new Error(describeEnvError(parsed.error));
  return parsed.data;
}
