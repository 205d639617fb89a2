-- CreateTable
CREATE TABLE "attempt_stages" (
    "attempt_id" UUID NOT NULL,
    "lab" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "opened_at" TIMESTAMPTZ(3),
    "error" TEXT,

    CONSTRAINT "attempt_stages_pkey" PRIMARY KEY ("attempt_id","lab","stage")
);

-- AddForeignKey
ALTER TABLE "attempt_stages" ADD CONSTRAINT "attempt_stages_attempt_id_fkey" FOREIGN KEY ("attempt_id") REFERENCES "attempts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

