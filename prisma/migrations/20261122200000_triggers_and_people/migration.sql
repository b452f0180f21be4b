-- Triggers and people: schedules, webhook secrets, the approvals inbox and run events.

-- CreateEnum
CREATE TYPE "ScheduleOverlapPolicy" AS ENUM ('SKIP', 'BUFFER_ONE', 'BUFFER_ALL', 'CANCEL_OTHER', 'TERMINATE_OTHER', 'ALLOW_ALL');

-- AlterTable
ALTER TABLE "agents" ADD COLUMN "webhook_secret" TEXT,
ADD COLUMN "webhook_secret_rotated_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "runs" ADD COLUMN "schedule_id" UUID,
ADD COLUMN "workflow_id" TEXT,
ADD COLUMN "event_sequence" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "approvals" ADD COLUMN "assignees" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN "form" JSONB,
ADD COLUMN "values" JSONB,
ADD COLUMN "decided_by" TEXT,
ADD COLUMN "escalate_at" TIMESTAMPTZ(3),
ADD COLUMN "escalated_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "schedules" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "agent_id" UUID NOT NULL,
    "version" INTEGER,
    "cron" TEXT,
    "interval" TEXT,
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "input" JSONB NOT NULL,
    "overlap_policy" "ScheduleOverlapPolicy" NOT NULL DEFAULT 'SKIP',
    "catchup_window" TEXT,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "schedules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "run_events" (
    "id" BIGSERIAL NOT NULL,
    "run_id" UUID NOT NULL,
    "sequence" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "node_id" TEXT,
    "data" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "run_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "schedules_agent_id_idx" ON "schedules"("agent_id");

-- CreateIndex
CREATE UNIQUE INDEX "runs_workflow_id_key" ON "runs"("workflow_id");

-- CreateIndex
CREATE INDEX "runs_schedule_id_started_at_idx" ON "runs"("schedule_id", "started_at");

-- CreateIndex
CREATE UNIQUE INDEX "run_events_run_id_sequence_key" ON "run_events"("run_id", "sequence");

-- AddForeignKey
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "schedules"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_events" ADD CONSTRAINT "run_events_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
