-- The secrets vault: one data key per workspace, wrapped by the master key (TRELLIS_SECRET_KEY), and the
-- secrets, each value sealed by its workspace's data key. Neither table ever holds a value in clear.
CREATE TABLE "workspace_vault_keys" (
    "workspace_id" UUID NOT NULL,
    "wrapped_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rewrapped_at" TIMESTAMPTZ(3),
    CONSTRAINT "workspace_vault_keys_pkey" PRIMARY KEY ("workspace_id")
);
ALTER TABLE "workspace_vault_keys" ADD CONSTRAINT "workspace_vault_keys_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "secrets" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "sealed_value" TEXT NOT NULL,
    "allowed_hosts" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "last_used_at" TIMESTAMPTZ(3),
    CONSTRAINT "secrets_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "secrets_workspace_id_name_key" ON "secrets"("workspace_id", "name");
ALTER TABLE "secrets" ADD CONSTRAINT "secrets_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;
