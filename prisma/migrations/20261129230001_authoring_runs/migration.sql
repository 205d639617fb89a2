-- CreateTable
CREATE TABLE "authoring_runs" (
    "id" UUID NOT NULL,
    "bank_version_id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "view" JSONB NOT NULL,
    "instance_id" TEXT,
    "engine_id" TEXT,
    "worker_id" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "authoring_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "authoring_runs_instance_id_key" ON "authoring_runs"("instance_id");

-- CreateIndex
CREATE INDEX "authoring_runs_bank_version_id_started_at_idx" ON "authoring_runs"("bank_version_id", "started_at");

-- CreateIndex
CREATE INDEX "authoring_runs_status_idx" ON "authoring_runs"("status");

-- AddForeignKey
ALTER TABLE "authoring_runs" ADD CONSTRAINT "authoring_runs_bank_version_id_fkey" FOREIGN KEY ("bank_version_id") REFERENCES "bank_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- One running run per bank version, whichever process starts it (Prisma cannot declare a partial index).
CREATE UNIQUE INDEX "authoring_runs_one_running_per_version" ON "authoring_runs"("bank_version_id") WHERE "status" = 'running';
