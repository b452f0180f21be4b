-- Identity and tenancy: workspaces, users and their credentials, rate-limit counters and an
-- append-only audit trail; every agent and everything below it now belongs to a workspace.

-- CreateEnum
CREATE TYPE "WorkspaceRole" AS ENUM ('VIEWER', 'OPERATOR', 'EDITOR', 'ADMIN', 'OWNER');

-- CreateEnum
CREATE TYPE "AuditActorType" AS ENUM ('USER', 'API_KEY', 'LINK', 'WEBHOOK', 'SCHEDULE', 'SYSTEM');

-- CreateEnum
CREATE TYPE "AuditOutcome" AS ENUM ('SUCCESS', 'DENIED', 'ERROR');

-- CreateTable
CREATE TABLE "workspaces" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "workspaces_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "memberships" (
    "workspace_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "role" "WorkspaceRole" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "memberships_pkey" PRIMARY KEY ("workspace_id","user_id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "token_hash" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "ip" TEXT,
    "user_agent" TEXT,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "role" "WorkspaceRole" NOT NULL,
    "created_by_user_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invitations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "role" "WorkspaceRole" NOT NULL,
    "token_hash" TEXT NOT NULL,
    "invited_by_user_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "accepted_at" TIMESTAMPTZ(3),
    "accepted_by_user_id" UUID,

    CONSTRAINT "invitations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "setup_tokens" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "setup_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rate_limit_windows" (
    "bucket" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "hits" INTEGER NOT NULL,

    CONSTRAINT "rate_limit_windows_pkey" PRIMARY KEY ("bucket","window_start")
);

-- CreateTable
-- "workspace_id" has no foreign key: deleting a workspace must neither delete nor rewrite its
-- audit trail, and rewriting is impossible anyway (see the append-only triggers below).
CREATE TABLE "audit_events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" UUID,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_type" "AuditActorType" NOT NULL,
    "actor_id" TEXT,
    "action" TEXT NOT NULL,
    "target_type" TEXT,
    "target_id" TEXT,
    "outcome" "AuditOutcome" NOT NULL,
    "ip" TEXT,
    "user_agent" TEXT,
    "request_id" TEXT,
    "metadata" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- Existing data moves into a workspace named "default"; an empty database gets no workspace. Every
-- tenant table is checked, although every row of the others hangs off an agent through NOT NULL
-- foreign keys, so that the rule does not depend on that.
--
-- The column is added with the new workspace's id as a constant default and the default is then
-- dropped: Postgres records such a default in the catalog instead of rewriting the table, so large
-- run_events and node_runs tables are not rewritten, and no UPDATE runs (which the immutability
-- trigger of agent_versions would refuse). Existing rows keep the recorded value.
DO $$
DECLARE
    tenant_table TEXT;
    default_workspace UUID;
BEGIN
    IF EXISTS (SELECT 1 FROM "agents") OR EXISTS (SELECT 1 FROM "agent_versions")
        OR EXISTS (SELECT 1 FROM "schedules") OR EXISTS (SELECT 1 FROM "runs")
        OR EXISTS (SELECT 1 FROM "node_runs") OR EXISTS (SELECT 1 FROM "approvals")
        OR EXISTS (SELECT 1 FROM "run_events") THEN
        INSERT INTO "workspaces" ("name", "updated_at") VALUES ('default', CURRENT_TIMESTAMP)
            RETURNING "id" INTO default_workspace;
    END IF;
    FOREACH tenant_table IN ARRAY ARRAY['agents', 'agent_versions', 'schedules', 'runs', 'node_runs', 'approvals', 'run_events'] LOOP
        IF default_workspace IS NULL THEN
            EXECUTE format('ALTER TABLE %I ADD COLUMN "workspace_id" UUID NOT NULL', tenant_table);
        ELSE
            EXECUTE format('ALTER TABLE %I ADD COLUMN "workspace_id" UUID NOT NULL DEFAULT %L::uuid', tenant_table, default_workspace);
            EXECUTE format('ALTER TABLE %I ALTER COLUMN "workspace_id" DROP DEFAULT', tenant_table);
        END IF;
    END LOOP;
END;
$$;

-- Agent names are unique per workspace instead of globally.
-- DropIndex
DROP INDEX "agents_name_key";

-- CreateIndex
CREATE UNIQUE INDEX "agents_workspace_id_name_key" ON "agents"("workspace_id", "name");

-- CreateIndex
CREATE INDEX "agent_versions_workspace_id_idx" ON "agent_versions"("workspace_id");

-- CreateIndex
CREATE INDEX "schedules_workspace_id_idx" ON "schedules"("workspace_id");

-- CreateIndex
CREATE INDEX "runs_workspace_id_started_at_idx" ON "runs"("workspace_id", "started_at");

-- CreateIndex
CREATE INDEX "node_runs_workspace_id_idx" ON "node_runs"("workspace_id");

-- CreateIndex
CREATE INDEX "approvals_workspace_id_status_idx" ON "approvals"("workspace_id", "status");

-- CreateIndex
CREATE INDEX "run_events_workspace_id_idx" ON "run_events"("workspace_id");

-- Email addresses are stored as typed and unique ignoring case. Prisma cannot declare an expression
-- index, so this one exists only here (schema.prisma names it in the User model's comment).
-- CreateIndex
CREATE UNIQUE INDEX "users_email_lower_key" ON "users"(lower("email"));

-- CreateIndex
CREATE INDEX "memberships_user_id_idx" ON "memberships"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "sessions_token_hash_key" ON "sessions"("token_hash");

-- CreateIndex
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");

-- CreateIndex
CREATE INDEX "sessions_expires_at_idx" ON "sessions"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_token_hash_key" ON "api_keys"("token_hash");

-- CreateIndex
CREATE INDEX "api_keys_workspace_id_idx" ON "api_keys"("workspace_id");

-- CreateIndex
CREATE UNIQUE INDEX "invitations_token_hash_key" ON "invitations"("token_hash");

-- CreateIndex
CREATE INDEX "invitations_workspace_id_idx" ON "invitations"("workspace_id");

-- CreateIndex
CREATE UNIQUE INDEX "setup_tokens_token_hash_key" ON "setup_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "rate_limit_windows_window_start_idx" ON "rate_limit_windows"("window_start");

-- CreateIndex
CREATE INDEX "audit_events_workspace_id_occurred_at_id_idx" ON "audit_events"("workspace_id", "occurred_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "audit_events_workspace_id_actor_id_occurred_at_idx" ON "audit_events"("workspace_id", "actor_id", "occurred_at" DESC);

-- CreateIndex
CREATE INDEX "audit_events_workspace_id_target_id_occurred_at_idx" ON "audit_events"("workspace_id", "target_id", "occurred_at" DESC);

-- AddForeignKey
ALTER TABLE "agents" ADD CONSTRAINT "agents_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_versions" ADD CONSTRAINT "agent_versions_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "node_runs" ADD CONSTRAINT "node_runs_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_events" ADD CONSTRAINT "run_events_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_user_id_fkey" FOREIGN KEY ("created_by_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_invited_by_user_id_fkey" FOREIGN KEY ("invited_by_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_accepted_by_user_id_fkey" FOREIGN KEY ("accepted_by_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Workspace consistency. Each tenant row carries the workspace of the row it belongs to (runs and
-- schedules and versions: their agent; nodes, approvals and events: their run), so that every query
-- can filter on its own table. The triggers below keep that true whoever writes:
-- * an insert that leaves "workspace_id" out gets the parent's, so writers that do not know about
--   workspaces keep working;
-- * an insert or update whose "workspace_id" differs from the parent's is refused (check_violation);
-- * an update that changes "workspace_id" is refused (restrict_violation): a row never moves.

-- Refuses an UPDATE that moves a row to another workspace.
CREATE FUNCTION "trellis_refuse_workspace_move"(row_table TEXT, row_id TEXT, old_workspace UUID, new_workspace UUID)
RETURNS void AS $$
BEGIN
    IF new_workspace IS DISTINCT FROM old_workspace THEN
        RAISE EXCEPTION 'rows of % cannot move to another workspace (row %)', row_table, row_id
            USING ERRCODE = 'restrict_violation', TABLE = row_table, COLUMN = 'workspace_id';
    END IF;
END;
$$ LANGUAGE plpgsql;

-- Refuses a row whose workspace differs from that of a row it refers to. A NULL reference, or one to a
-- missing row (which its foreign key reports), is left alone.
CREATE FUNCTION "trellis_require_same_workspace"(row_table TEXT, row_workspace UUID, ref_column TEXT, ref_id UUID, ref_workspace UUID)
RETURNS void AS $$
BEGIN
    IF ref_workspace IS NOT NULL AND row_workspace IS DISTINCT FROM ref_workspace THEN
        RAISE EXCEPTION 'a row of % in workspace % cannot refer through % to % of workspace %',
            row_table, row_workspace, ref_column, ref_id, ref_workspace
            USING ERRCODE = 'check_violation', TABLE = row_table, COLUMN = 'workspace_id';
    END IF;
END;
$$ LANGUAGE plpgsql;

-- The workspace a row must have, given its parent: the parent's when the row names none, else the
-- row's own after checking it matches. When the parent does not exist and the row names no workspace,
-- this raises the foreign key's own error (the NOT NULL check would otherwise fire first and hide it).
CREATE FUNCTION "trellis_inherit_workspace"(
    row_table TEXT, row_workspace UUID, parent_table TEXT, parent_column TEXT, parent_id UUID, parent_workspace UUID, foreign_key TEXT
) RETURNS UUID AS $$
BEGIN
    IF row_workspace IS NOT NULL THEN
        PERFORM "trellis_require_same_workspace"(row_table, row_workspace, parent_column, parent_id, parent_workspace);
        RETURN row_workspace;
    END IF;
    IF parent_workspace IS NULL AND parent_id IS NOT NULL THEN
        RAISE EXCEPTION 'insert or update on table "%" violates foreign key constraint "%"', row_table, foreign_key
            USING ERRCODE = 'foreign_key_violation', TABLE = row_table, CONSTRAINT = foreign_key,
                DETAIL = format('Key (%s)=(%s) is not present in table "%s".', parent_column, parent_id, parent_table);
    END IF;
    RETURN parent_workspace;
END;
$$ LANGUAGE plpgsql;

-- Versions and schedules belong to their agent's workspace. TG_ARGV[0]: the row's foreign key to agents.
CREATE FUNCTION "trellis_workspace_from_agent"() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        PERFORM "trellis_refuse_workspace_move"(TG_TABLE_NAME, OLD."id"::text, OLD."workspace_id", NEW."workspace_id");
    END IF;
    NEW."workspace_id" := "trellis_inherit_workspace"(TG_TABLE_NAME, NEW."workspace_id", 'agents', 'agent_id', NEW."agent_id",
        (SELECT "workspace_id" FROM "agents" WHERE "id" = NEW."agent_id"), TG_ARGV[0]);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

-- Nodes, approvals and events belong to their run's workspace. TG_ARGV[0]: the row's foreign key to runs.
CREATE FUNCTION "trellis_workspace_from_run"() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        PERFORM "trellis_refuse_workspace_move"(TG_TABLE_NAME, OLD."id"::text, OLD."workspace_id", NEW."workspace_id");
    END IF;
    NEW."workspace_id" := "trellis_inherit_workspace"(TG_TABLE_NAME, NEW."workspace_id", 'runs', 'run_id', NEW."run_id",
        (SELECT "workspace_id" FROM "runs" WHERE "id" = NEW."run_id"), TG_ARGV[0]);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

-- A run belongs to its agent's workspace, and so must the version it runs, the schedule that started
-- it, the run that started it as a sub-flow and the run it retries: a run never links workspaces.
CREATE FUNCTION "trellis_runs_workspace"() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        PERFORM "trellis_refuse_workspace_move"(TG_TABLE_NAME, OLD."id"::text, OLD."workspace_id", NEW."workspace_id");
    END IF;
    NEW."workspace_id" := "trellis_inherit_workspace"('runs', NEW."workspace_id", 'agents', 'agent_id', NEW."agent_id",
        (SELECT "workspace_id" FROM "agents" WHERE "id" = NEW."agent_id"), 'runs_agent_id_fkey');
    PERFORM "trellis_require_same_workspace"('runs', NEW."workspace_id", 'agent_version_id', NEW."agent_version_id",
        (SELECT "workspace_id" FROM "agent_versions" WHERE "id" = NEW."agent_version_id"));
    IF NEW."schedule_id" IS NOT NULL THEN
        PERFORM "trellis_require_same_workspace"('runs', NEW."workspace_id", 'schedule_id', NEW."schedule_id",
            (SELECT "workspace_id" FROM "schedules" WHERE "id" = NEW."schedule_id"));
    END IF;
    IF NEW."parent_run_id" IS NOT NULL THEN
        PERFORM "trellis_require_same_workspace"('runs', NEW."workspace_id", 'parent_run_id', NEW."parent_run_id",
            (SELECT "workspace_id" FROM "runs" WHERE "id" = NEW."parent_run_id"));
    END IF;
    IF NEW."retry_of_run_id" IS NOT NULL THEN
        PERFORM "trellis_require_same_workspace"('runs', NEW."workspace_id", 'retry_of_run_id', NEW."retry_of_run_id",
            (SELECT "workspace_id" FROM "runs" WHERE "id" = NEW."retry_of_run_id"));
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

-- Agents are the root of a workspace's data, so there is no parent to inherit from.
--
-- Transition for inserts that do not name a workspace: writers that predate workspaces insert agents
-- without "workspace_id". Such an agent goes to the only workspace when there is exactly one, and to
-- a new workspace named "default" when there is none (the first agent of a new installation). With
-- several workspaces there is no right answer, so the insert is refused (not_null_violation). Inserts
-- that name a workspace are unaffected; once every writer names one, this fallback can be dropped.
-- The lock on "workspaces" (which plain reads do not wait for) makes concurrent first inserts agree
-- on a single "default" workspace.
CREATE FUNCTION "trellis_agents_workspace"() RETURNS trigger AS $$
DECLARE
    workspace_count BIGINT;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        PERFORM "trellis_refuse_workspace_move"(TG_TABLE_NAME, OLD."id"::text, OLD."workspace_id", NEW."workspace_id");
        RETURN NEW;
    END IF;
    IF NEW."workspace_id" IS NOT NULL THEN
        RETURN NEW;
    END IF;
    LOCK TABLE "workspaces" IN SHARE ROW EXCLUSIVE MODE;
    SELECT count(*) INTO workspace_count FROM "workspaces";
    IF workspace_count = 0 THEN
        INSERT INTO "workspaces" ("name", "updated_at") VALUES ('default', CURRENT_TIMESTAMP)
            RETURNING "id" INTO NEW."workspace_id";
    ELSIF workspace_count = 1 THEN
        SELECT "id" INTO NEW."workspace_id" FROM "workspaces";
    ELSE
        RAISE EXCEPTION 'agent "%" needs a workspace_id: there are % workspaces to choose from', NEW."name", workspace_count
            USING ERRCODE = 'not_null_violation', TABLE = 'agents', COLUMN = 'workspace_id';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "agents_workspace" BEFORE INSERT OR UPDATE OF "workspace_id" ON "agents"
    FOR EACH ROW EXECUTE FUNCTION "trellis_agents_workspace"();

CREATE TRIGGER "agent_versions_workspace" BEFORE INSERT OR UPDATE OF "workspace_id", "agent_id" ON "agent_versions"
    FOR EACH ROW EXECUTE FUNCTION "trellis_workspace_from_agent"('agent_versions_agent_id_fkey');

CREATE TRIGGER "schedules_workspace" BEFORE INSERT OR UPDATE OF "workspace_id", "agent_id" ON "schedules"
    FOR EACH ROW EXECUTE FUNCTION "trellis_workspace_from_agent"('schedules_agent_id_fkey');

CREATE TRIGGER "runs_workspace"
    BEFORE INSERT OR UPDATE OF "workspace_id", "agent_id", "agent_version_id", "schedule_id", "parent_run_id", "retry_of_run_id" ON "runs"
    FOR EACH ROW EXECUTE FUNCTION "trellis_runs_workspace"();

CREATE TRIGGER "node_runs_workspace" BEFORE INSERT OR UPDATE OF "workspace_id", "run_id" ON "node_runs"
    FOR EACH ROW EXECUTE FUNCTION "trellis_workspace_from_run"('node_runs_run_id_fkey');

CREATE TRIGGER "approvals_workspace" BEFORE INSERT OR UPDATE OF "workspace_id", "run_id" ON "approvals"
    FOR EACH ROW EXECUTE FUNCTION "trellis_workspace_from_run"('approvals_run_id_fkey');

CREATE TRIGGER "run_events_workspace" BEFORE INSERT OR UPDATE OF "workspace_id", "run_id" ON "run_events"
    FOR EACH ROW EXECUTE FUNCTION "trellis_workspace_from_run"('run_events_run_id_fkey');

-- The audit trail is append-only: once written, an event can be neither changed nor removed, whoever
-- asks, row by row or by TRUNCATE. Pruning old events therefore takes a deliberate act by the table's
-- owner (disabling these triggers), not an ordinary DELETE.
CREATE FUNCTION "trellis_reject_audit_event_change"() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "audit_events_append_only" BEFORE UPDATE OR DELETE ON "audit_events"
    FOR EACH ROW EXECUTE FUNCTION "trellis_reject_audit_event_change"();

CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events"
    FOR EACH STATEMENT EXECUTE FUNCTION "trellis_reject_audit_event_change"();
