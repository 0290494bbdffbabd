-- CreateTable
CREATE TABLE "credential_reads" (
    "org_id" UUID NOT NULL,
    "connection_uuid" UUID NOT NULL,
    "actor_type" TEXT NOT NULL,
    "actor_id" TEXT NOT NULL,
    "actor_label" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "minute" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL,
    "audited_count" INTEGER NOT NULL DEFAULT 0,
    "audited" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "credential_reads_pkey" PRIMARY KEY ("connection_uuid","actor_type","actor_id","minute")
);

-- CreateIndex
CREATE INDEX "credential_reads_audited_minute_idx" ON "credential_reads"("audited", "minute");

-- CreateIndex
CREATE INDEX "credential_reads_org_id_minute_idx" ON "credential_reads"("org_id", "minute" DESC);

-- AddForeignKey
ALTER TABLE "credential_reads" ADD CONSTRAINT "credential_reads_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Cache invalidation events (hand-written below this line).
--
-- Every committed change to a connection row, and to what an API key may do,
-- is announced on the channel the app's caches listen to
-- (lib/events/cache-invalidation.ts). A trigger rather than a call in each
-- writer: no writer can forget it, SQL run by hand included. NOTIFY is
-- delivered on COMMIT only, so a rolled-back write announces nothing.
-- Key rotation re-seals the same plaintext under a newer key: it sets
-- `switchboard.key_rotation` for its transaction and is not announced, so
-- caches stay warm while it runs. A new row needs no announcement (nothing
-- cached can name it).
CREATE FUNCTION "settings_announce_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    r "settings";
BEGIN
    IF TG_OP = 'DELETE' THEN
        r := OLD;
    ELSE
        r := NEW;
        IF current_setting('switchboard.key_rotation', true) = 'on'
           AND OLD.value = NEW.value AND OLD.key = NEW.key AND OLD.org_id = NEW.org_id THEN
            RETURN NULL;
        END IF;
    END IF;
    PERFORM pg_notify('switchboard_cache_invalidations', json_build_object('k', 'c', 'o', r.org_id, 'u', r.uuid)::text);
    RETURN NULL;
END;
$$;

CREATE TRIGGER "settings_announce_change"
    AFTER UPDATE OR DELETE ON "settings"
    FOR EACH ROW EXECUTE FUNCTION "settings_announce_change"();

-- last_used_at and revoked_use_at change often and mean nothing to a cache.
CREATE FUNCTION "api_keys_announce_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    r "api_keys";
BEGIN
    IF TG_OP = 'DELETE' THEN
        r := OLD;
    ELSE
        r := NEW;
        IF OLD.revoked_at IS NOT DISTINCT FROM NEW.revoked_at
           AND OLD.expires_at IS NOT DISTINCT FROM NEW.expires_at
           AND OLD.scope = NEW.scope
           AND OLD.allowed_connections = NEW.allowed_connections
           AND OLD.hash = NEW.hash
           AND OLD.org_id = NEW.org_id THEN
            RETURN NULL;
        END IF;
    END IF;
    PERFORM pg_notify('switchboard_cache_invalidations', json_build_object('k', 'k', 'o', r.org_id, 'u', r.id)::text);
    RETURN NULL;
END;
$$;

CREATE TRIGGER "api_keys_announce_change"
    AFTER UPDATE OR DELETE ON "api_keys"
    FOR EACH ROW EXECUTE FUNCTION "api_keys_announce_change"();
