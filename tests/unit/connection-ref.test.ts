import { describe, expect, it } from "vitest";
import { checkConnectionName, ZConnectionName } from "@/lib/integrations/connection-name";
import { parseConnectionRef } from "@/lib/integrations/connection-ref";
import { parseSettingsKey, settingsKey } from "@/lib/integrations/settings-key";

describe("connection names", () => {
  it.each(["default", "work", "a", "Company-Drive_2", "0x", "a".repeat(64)])("accepts %s", (name) => {
    expect(checkConnectionName(name)).toBeNull();
    expect(ZConnectionName.safeParse(name).success).toBe(true);
  });

  it.each(["-lead", "_lead", "has space", "dots.no", "colon:no", "a".repeat(65), "émoji", "semi;colon"])("rejects %s", (name) => {
    expect(checkConnectionName(name)).toBe("invalid_name");
    expect(ZConnectionName.safeParse(name).success).toBe(false);
  });

  it("reports an empty name separately", () => {
    expect(checkConnectionName("")).toBe("empty_name");
    expect(checkConnectionName("   ")).toBe("empty_name");
  });
});

describe("settingsKey", () => {
  it("defaults a bare provider to the default connection", () => {
    expect(settingsKey("google")).toBe("integration:google:default");
    expect(settingsKey("google:personal")).toBe("integration:google:personal");
    expect(settingsKey("google", "work")).toBe("integration:google:work");
  });

  it.each([["a:b:c"], ["Google"], [""], ["google:has space"], ["google:x", "y"]])("refuses to build a key it could not read back: %j", (...args) => {
    expect(() => settingsKey(...(args as [string, string?]))).toThrow(/settingsKey/);
  });

  it("parses only well-formed keys", () => {
    expect(parseSettingsKey("integration:openai:work")).toEqual({ provider: "openai", name: "work" });
    expect(parseSettingsKey("integration:openai")).toBeNull();
    expect(parseSettingsKey("other:openai:work")).toBeNull();
  });
});

describe("parseConnectionRef (resolveToUuid inputs)", () => {
  const uuid = "0190b5a4-3c9d-7256-8ed1-edbc6ae29703";

  it("recognizes a uuid, case-insensitively", () => {
    expect(parseConnectionRef(uuid, { allowUuid: true })).toEqual({ kind: "uuid", uuid });
    expect(parseConnectionRef(uuid.toUpperCase(), { allowUuid: true })).toEqual({ kind: "uuid", uuid });
  });

  it("reads provider:name and a bare provider as provider:default", () => {
    expect(parseConnectionRef("openrouter:work", { allowUuid: true })).toEqual({ kind: "provider_name", provider: "openrouter", name: "work" });
    expect(parseConnectionRef("openrouter", { allowUuid: true })).toEqual({ kind: "provider_name", provider: "openrouter", name: "default" });
    expect(parseConnectionRef(["openrouter", "work"], { allowUuid: false })).toEqual({ kind: "provider_name", provider: "openrouter", name: "work" });
  });

  it("does not treat a uuid as a provider name when uuids are not allowed", () => {
    expect(parseConnectionRef(uuid, { allowUuid: false })).toBeNull();
  });

  it.each([["", ""], [":", ":"], ["a:b:c", "a:b:c"], ["UPPER:x", "UPPER:x"], ["openai:-x", "openai:-x"], ["nil", null], ["number", 42], ["object", {}], ["triple", ["a", "b", "c"]]])(
    "rejects garbage (%s)",
    (_label, input) => {
      expect(parseConnectionRef(input, { allowUuid: true })).toBeNull();
    },
  );
});
