-- CreateTable
CREATE TABLE "terminal_recordings" (
    "id" UUID NOT NULL,
    "instance_id" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "shell" INTEGER NOT NULL DEFAULT 1,
    "shell_id" TEXT NOT NULL,
    "file" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "cols" INTEGER NOT NULL,
    "rows" INTEGER NOT NULL,
    "start_offset" BIGINT NOT NULL,
    "end_offset" BIGINT NOT NULL,
    "truncated" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "terminal_recordings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "terminal_recording_chunks" (
    "id" BIGSERIAL NOT NULL,
    "recording_id" UUID NOT NULL,
    "start_offset" BIGINT NOT NULL,
    "data" BYTEA NOT NULL,
    "marks" JSONB NOT NULL,

    CONSTRAINT "terminal_recording_chunks_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "terminal_recordings_instance_id_idx" ON "terminal_recordings"("instance_id");

-- CreateIndex
CREATE UNIQUE INDEX "terminal_recordings_instance_id_node_shell_shell_id_key" ON "terminal_recordings"("instance_id", "node", "shell", "shell_id");

-- CreateIndex
CREATE INDEX "terminal_recording_chunks_recording_id_start_offset_idx" ON "terminal_recording_chunks"("recording_id", "start_offset");

-- AddForeignKey
ALTER TABLE "terminal_recording_chunks" ADD CONSTRAINT "terminal_recording_chunks_recording_id_fkey" FOREIGN KEY ("recording_id") REFERENCES "terminal_recordings"("id") ON DELETE CASCADE ON UPDATE CASCADE;

