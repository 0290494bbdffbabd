-- AlterTable
ALTER TABLE "users" ADD COLUMN     "platform_owner" BOOLEAN NOT NULL DEFAULT false;

-- An existing installation's owner is the account made at /setup: the first user.
UPDATE "users" SET "platform_owner" = true
WHERE "id" = (SELECT "id" FROM "users" ORDER BY "created_at", "id" LIMIT 1);
