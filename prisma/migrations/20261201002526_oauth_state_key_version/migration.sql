-- AlterTable
ALTER TABLE "oauth_states" ADD COLUMN     "key_version" INTEGER;
