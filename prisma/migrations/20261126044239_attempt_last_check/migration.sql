-- AlterTable
ALTER TABLE "attempt_questions" ADD COLUMN     "last_check_at" TIMESTAMPTZ(3),
ADD COLUMN     "last_check_passed" BOOLEAN,
ADD COLUMN     "last_check_reason" TEXT;

