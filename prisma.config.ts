import { defineConfig } from "prisma/config";

// Prisma 7 reads its configuration from here. Migrations are applied by the
// app itself (lib/db/migrate.ts) and created offline by scripts/db-migration.ts,
// so no datasource URL is needed for `prisma generate`.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
