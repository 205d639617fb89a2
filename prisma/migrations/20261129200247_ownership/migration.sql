-- Owners are the existing created_by_id columns; one pointing at no user becomes no owner
-- (admins manage those) before the foreign keys below are added.
UPDATE "banks" SET "created_by_id" = NULL WHERE "created_by_id" IS NOT NULL AND "created_by_id" NOT IN (SELECT "id" FROM "users");
UPDATE "tests" SET "created_by_id" = NULL WHERE "created_by_id" IS NOT NULL AND "created_by_id" NOT IN (SELECT "id" FROM "users");
UPDATE "cohorts" SET "created_by_id" = NULL WHERE "created_by_id" IS NOT NULL AND "created_by_id" NOT IN (SELECT "id" FROM "users");

-- CreateTable
CREATE TABLE "bank_instructors" (
    "bank_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "added_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bank_instructors_pkey" PRIMARY KEY ("bank_id","user_id")
);

-- CreateTable
CREATE TABLE "test_instructors" (
    "test_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "added_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "test_instructors_pkey" PRIMARY KEY ("test_id","user_id")
);

-- CreateTable
CREATE TABLE "cohort_instructors" (
    "cohort_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "added_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cohort_instructors_pkey" PRIMARY KEY ("cohort_id","user_id")
);

-- CreateIndex
CREATE INDEX "bank_instructors_user_id_idx" ON "bank_instructors"("user_id");

-- CreateIndex
CREATE INDEX "test_instructors_user_id_idx" ON "test_instructors"("user_id");

-- CreateIndex
CREATE INDEX "cohort_instructors_user_id_idx" ON "cohort_instructors"("user_id");

-- AddForeignKey
ALTER TABLE "banks" ADD CONSTRAINT "banks_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bank_instructors" ADD CONSTRAINT "bank_instructors_bank_id_fkey" FOREIGN KEY ("bank_id") REFERENCES "banks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bank_instructors" ADD CONSTRAINT "bank_instructors_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tests" ADD CONSTRAINT "tests_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "test_instructors" ADD CONSTRAINT "test_instructors_test_id_fkey" FOREIGN KEY ("test_id") REFERENCES "tests"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "test_instructors" ADD CONSTRAINT "test_instructors_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cohorts" ADD CONSTRAINT "cohorts_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cohort_instructors" ADD CONSTRAINT "cohort_instructors_cohort_id_fkey" FOREIGN KEY ("cohort_id") REFERENCES "cohorts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cohort_instructors" ADD CONSTRAINT "cohort_instructors_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

