-- CreateTable
CREATE TABLE "warm_instances" (
    "instance_id" TEXT NOT NULL,
    "topology_key" TEXT NOT NULL,
    "ready" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ready_at" TIMESTAMPTZ(3),

    CONSTRAINT "warm_instances_pkey" PRIMARY KEY ("instance_id")
);

-- CreateIndex
CREATE INDEX "warm_instances_topology_key_ready_idx" ON "warm_instances"("topology_key", "ready");

