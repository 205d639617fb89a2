-- The warm pool spans the engines: each row names the engine its instance is on.
-- DropIndex
DROP INDEX "warm_instances_topology_key_ready_idx";

-- AlterTable: rows of before were on the single process's first engine ("default" unless
-- PRAXIS_ENGINES named others; then the first engine by id, and a wrong guess is dropped by the
-- leader's next refresh and its instance collected).
ALTER TABLE "warm_instances" ADD COLUMN     "engine_id" TEXT;
UPDATE "warm_instances" SET "engine_id" = COALESCE((SELECT "id" FROM "engines" WHERE "id" = 'default'), (SELECT min("id") FROM "engines"), 'default');
ALTER TABLE "warm_instances" ALTER COLUMN "engine_id" SET NOT NULL;

-- CreateIndex
CREATE INDEX "warm_instances_topology_key_engine_id_ready_idx" ON "warm_instances"("topology_key", "engine_id", "ready");
