/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite loads its wasm and data files from node_modules at runtime.
  // ssh2 (the SFTP probe) loads an optional native addon that must not be bundled.
  // fastify (the consumer data plane) loads its plugins and schemas at run time.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "@prisma/adapter-pg", "pg", "ssh2", "fastify"],
  poweredByHeader: false,
  // `npm test` runs `tsc --noEmit` on this tsconfig (route types included) right before it builds, and sets
  // this for the build only when that passed (scripts/test.mjs). Every other build, `npm start`'s included,
  // type-checks as usual, even with the variable set elsewhere.
  typescript: {
    ignoreBuildErrors: process.env.SWITCHBOARD_BUILD_TYPECHECKED === "1" && process.env.npm_lifecycle_event === "test",
  },
  typedRoutes: false,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "no-referrer" },
          // Content-Security-Policy and HSTS are set per request by proxy.ts (a fresh script nonce each time).
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
        ],
      },
    ];
  },
};

export default nextConfig;
