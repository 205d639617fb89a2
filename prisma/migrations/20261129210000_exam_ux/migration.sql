-- CreateEnum
CREATE TYPE "TestMode" AS ENUM ('practice', 'exam');

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "locale" TEXT;

-- AlterTable
ALTER TABLE "tests" ADD COLUMN     "mode" "TestMode" NOT NULL DEFAULT 'exam';

-- AlterTable
ALTER TABLE "attempts" ADD COLUMN     "notes" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "attempt_questions" ADD COLUMN     "gave_up_at" TIMESTAMPTZ(3),
ADD COLUMN     "passed_check_at" TIMESTAMPTZ(3),
ADD COLUMN     "seconds_spent" INTEGER NOT NULL DEFAULT 0;


-- Existing tests that let learners Check were practice tests in all but name.
UPDATE "tests" SET "mode" = 'practice' WHERE "allow_check";
-- A task whose last Check passed has passed a Check.
UPDATE "attempt_questions" SET "passed_check_at" = "last_check_at" WHERE "last_check_passed";
