import { afterEach, describe, expect, it } from "vitest";
import { nextAuthLogger } from "@/lib/auth/next-auth-logger";
import { resetEnvCache } from "@/lib/env";
import { captureConsole, type ConsoleCapture } from "../support/test-db";

const TOKEN = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..c2VjcmV0LXNlc3Npb24tdG9rZW4tdmFsdWU";
let capture: ConsoleCapture | undefined;
afterEach(() => {
  capture?.restore();
  delete process.env.SWITCHBOARD_LOG_LEVEL;
  resetEnvCache();
});

function lines(run: () => void): string[] {
  process.env.SWITCHBOARD_LOG_LEVEL = "debug";
  resetEnvCache();
  capture = captureConsole();
  run();
  capture.restore();
  return capture.text().split("\n").filter(Boolean);
}

describe("next-auth's logger", () => {
  it("writes a rejected session cookie as one JSON line: code and message, no stack, no token", () => {
    const error = new Error(`Invalid Compact JWE ${TOKEN}\n    at decode (jwt.js:1:1)\n    at session (session.js:2:2)`);
    const out = lines(() => nextAuthLogger.error("JWT_SESSION_ERROR", error));
    expect(out).toHaveLength(1);
    const entry = JSON.parse(out[0]!);
    expect(entry).toMatchObject({ level: "info", message: "auth: session cookie rejected", errorCode: "JWT_SESSION_ERROR", error: "Error: Invalid Compact JWE <redacted>" });
    expect(out[0]).not.toContain(TOKEN.slice(-20));
    expect(out[0]).not.toContain("at decode");
  });

  it("keeps other errors at error level, drops metadata objects, and writes warnings and debug codes", () => {
    const out = lines(() => {
      nextAuthLogger.error("CALLBACK_CREDENTIALS_JWT_ERROR", { error: new Error("boom"), providerId: "credentials", token: TOKEN });
      nextAuthLogger.warn("NEXTAUTH_URL");
      nextAuthLogger.debug("adapter", { sessionToken: TOKEN });
    });
    expect(out.map((l) => JSON.parse(l))).toMatchObject([
      { level: "error", errorCode: "CALLBACK_CREDENTIALS_JWT_ERROR", error: "Error: boom" },
      { level: "warn", errorCode: "NEXTAUTH_URL" },
      { level: "debug", errorCode: "adapter" },
    ]);
    expect(out.join("\n")).not.toContain(TOKEN.slice(-20));
  });
});
