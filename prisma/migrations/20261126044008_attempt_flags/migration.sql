-- AlterTable
ALTER TABLE "attempt_questions" ADD COLUMN     "flagged" BOOLEAN NOT NULL DEFAULT false;

