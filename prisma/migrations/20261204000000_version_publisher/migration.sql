-- Who published a version, as a label (email or "API key <name>") so the history still reads the same after
-- the user or key is gone.
ALTER TABLE "agent_versions" ADD COLUMN "published_by" TEXT;
