import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const dbImport = {
  group: ["@/lib/db", "@/lib/db.ts", "**/lib/db", "@/lib/generated/prisma/*"],
  message: "Only service modules (lib/**/service/**) talk to the database.",
};

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: ["lib/generated/**", ".next/**", "node_modules/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "clients/*/dist/**"] },
  {
    // "Only the service layer imports the db": everything else calls a service.
    files: ["**/*.{ts,tsx}"],
    // lib/boot.ts opens the database once at server start; tests, CLI scripts and bench seeds drive services and check rows.
    ignores: ["lib/**/service/**", "lib/db.ts", "lib/db/**", "lib/boot.ts", "tests/**", "scripts/**", "e2e/**", "bench/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [dbImport] }] },
  },
  {
    // Configuration is read in one validated place. Root files (proxy.ts,
    // instrumentation.ts, next/prisma/tailwind configs) included; the browser
    // tests' harness (playwright.config.ts, like e2e/ and tests/) reads its own
    // E2E_* hand-off instead, and the plain-JS launcher validates PORT and
    // SWITCHBOARD_HOST with lib/launch-env.mjs.
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "lib/**/*.{ts,tsx}", "*.{ts,tsx}"],
    ignores: ["lib/env.ts", "playwright.config.ts"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration through lib/env.ts." }],
    },
  },
];

export default config;
