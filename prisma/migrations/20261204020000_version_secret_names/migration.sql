-- The secret names a version references ({{ secrets.NAME }}), found when it is published, so the vault can
-- list the agents using a secret and refuse to delete one a live version needs without reading every DAG.
ALTER TABLE "agent_versions" ADD COLUMN "secret_names" TEXT[] DEFAULT ARRAY[]::TEXT[];
CREATE INDEX "agent_versions_secret_names_idx" ON "agent_versions" USING GIN ("secret_names");
