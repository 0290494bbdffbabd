import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  clearSignInFailures,
  isSignInThrottled,
  recordSignInFailure,
  SIGN_IN_FAILURES_ALLOWED,
} from "@/lib/auth/sign-in-throttle";

const email = () => `${randomUUID()}@example.test`;

describe("sign-in throttle", () => {
  it("refuses an email after the allowed failures, whatever its case", async () => {
    const target = email();
    for (let i = 0; i < SIGN_IN_FAILURES_ALLOWED - 1; i++) await recordSignInFailure(target);
    expect(await isSignInThrottled(target)).toBe(false);
    await recordSignInFailure(target.toUpperCase());
    expect(await isSignInThrottled(target)).toBe(true);
    expect(await isSignInThrottled(` ${target.toUpperCase()} `)).toBe(true);
  });

  it("counts each email on its own, and a success clears the count", async () => {
    const target = email();
    const other = email();
    for (let i = 0; i < SIGN_IN_FAILURES_ALLOWED; i++) await recordSignInFailure(target);
    expect(await isSignInThrottled(other)).toBe(false);
    await clearSignInFailures(target);
    expect(await isSignInThrottled(target)).toBe(false);
  });
});
