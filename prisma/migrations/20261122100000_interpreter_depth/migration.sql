-- Interpreter depth: sub-flows and retries link runs, nodes record reuse and compensation,
-- an agent node may open several approvals, and large payloads are stored by claim check.

-- AlterTable
ALTER TABLE "runs" ADD COLUMN "parent_run_id" UUID,
ADD COLUMN "retry_of_run_id" UUID;

-- AlterTable
ALTER TABLE "node_runs" ADD COLUMN "reused" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "compensation" JSONB,
ADD COLUMN "child_run_id" UUID;

-- AlterTable
ALTER TABLE "approvals" ADD COLUMN "details" JSONB;

-- DropIndex
DROP INDEX "approvals_run_id_node_id_key";

-- CreateTable
CREATE TABLE "payloads" (
    "id" TEXT NOT NULL,
    "data" BYTEA NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payloads_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "runs_parent_run_id_idx" ON "runs"("parent_run_id");

-- CreateIndex
CREATE INDEX "runs_retry_of_run_id_idx" ON "runs"("retry_of_run_id");

-- CreateIndex
CREATE INDEX "approvals_run_id_node_id_idx" ON "approvals"("run_id", "node_id");

-- CreateIndex
CREATE INDEX "payloads_created_at_idx" ON "payloads"("created_at");

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_parent_run_id_fkey" FOREIGN KEY ("parent_run_id") REFERENCES "runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_retry_of_run_id_fkey" FOREIGN KEY ("retry_of_run_id") REFERENCES "runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;
