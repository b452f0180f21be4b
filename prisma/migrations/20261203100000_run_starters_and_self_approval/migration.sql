-- Who started a run (a signed-in user or an API key; neither for schedules, webhooks and sub-flows), so an
-- approval can refuse to be decided by the person whose run it holds up.
ALTER TABLE "runs" ADD COLUMN "started_by_user_id" UUID;
ALTER TABLE "runs" ADD COLUMN "started_by_api_key_id" UUID;
ALTER TABLE "runs" ADD CONSTRAINT "runs_started_by_user_id_fkey" FOREIGN KEY ("started_by_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "runs" ADD CONSTRAINT "runs_started_by_api_key_id_fkey" FOREIGN KEY ("started_by_api_key_id") REFERENCES "api_keys"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- An approval node's allowSelfApproval: false means whoever started the run may not decide it.
ALTER TABLE "approvals" ADD COLUMN "allow_self_approval" BOOLEAN NOT NULL DEFAULT true;
