import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The architecture rules are lint rules; make sure they bite.
const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? "");
}

describe("architecture lint rules", () => {
  it("refuses a database import outside the service layer", async () => {
    const code = 'import { db } from "@/lib/db";\nexport const x = db;\n';
    expect(await ruleIds("app/admin/example/page.tsx", code)).toContain("no-restricted-imports");
    expect(await ruleIds("components/example.tsx", code)).toContain("no-restricted-imports");
    expect(await ruleIds("lib/integrations/service/example.ts", code)).not.toContain("no-restricted-imports");
  });

  it("refuses process.env outside lib/env.ts", async () => {
    const code = "export const x = process.env.FOO;\n";
    expect(await ruleIds("lib/integrations/example.ts", code)).toContain("no-restricted-properties");
    expect(await ruleIds("lib/env.ts", code)).not.toContain("no-restricted-properties");
    // The root files run inside the app too.
    expect(await ruleIds("proxy.ts", code)).toContain("no-restricted-properties");
    expect(await ruleIds("instrumentation.ts", code)).toContain("no-restricted-properties");
    expect(await ruleIds("next.config.ts", code)).toContain("no-restricted-properties");
  });
});
