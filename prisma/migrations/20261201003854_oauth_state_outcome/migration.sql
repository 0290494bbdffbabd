-- AlterTable
ALTER TABLE "oauth_states" ADD COLUMN     "outcome_message" TEXT,
ADD COLUMN     "outcome_ok" BOOLEAN;
