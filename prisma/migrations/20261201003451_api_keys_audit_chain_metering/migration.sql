-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN     "allowed_connections" UUID[] DEFAULT ARRAY[]::UUID[],
ADD COLUMN     "expires_at" TIMESTAMP(3),
ADD COLUMN     "revoked_use_at" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "audit_logs" ADD COLUMN     "hash" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "prev_hash" TEXT,
ADD COLUMN     "seq" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "api_calls" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "api_key_id" UUID,
    "surface" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "error_code" TEXT,
    "duration_ms" INTEGER NOT NULL,
    "parameters" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_calls_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_chain_heads" (
    "org_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_chain_heads_pkey" PRIMARY KEY ("org_id")
);

-- CreateIndex
CREATE INDEX "api_calls_org_id_created_at_idx" ON "api_calls"("org_id", "created_at" DESC);


-- AddForeignKey
ALTER TABLE "api_calls" ADD CONSTRAINT "api_calls_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_calls" ADD CONSTRAINT "api_calls_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Tamper-evident audit chain (hand-written below this line).
--
-- Each organization's audit rows form a hash chain: a BEFORE INSERT trigger
-- locks the org's audit_chain_heads row (FOR UPDATE: concurrent writers queue
-- instead of forking the chain), numbers the row (seq = previous + 1), stores
-- the previous row's hash in prev_hash and sets
--   hash = SHA-256(canonical JSON of [prev_hash, seq, id, org_id, actor_type,
--          actor_id, actor_label, action, target_type, target_id, metadata,
--          created_at]).
-- `npm run audit:verify` and the audit page's Verify button recompute it.

-- The canonical content: jsonb's text form is deterministic (sorted keys,
-- normalised numbers), and the timestamp is printed without a time zone.
CREATE FUNCTION "audit_log_hash"(prev TEXT, r "audit_logs") RETURNS TEXT
LANGUAGE sql IMMUTABLE AS $$
    SELECT encode(sha256(convert_to(jsonb_build_array(
        prev, r.seq, r.id, r.org_id, r.actor_type, r.actor_id, r.actor_label, r.action,
        r.target_type, r.target_id, r.metadata, to_char(r.created_at, 'YYYY-MM-DD"T"HH24:MI:SS.US')
    )::text, 'UTF8')), 'hex')
$$;

-- Backfill the rows written before the chain existed, oldest first per org.
ALTER TABLE "audit_logs" DISABLE TRIGGER "audit_logs_append_only";
DO $$
DECLARE
    r "audit_logs";
    prev TEXT;
    current_org UUID;
    n INTEGER;
BEGIN
    FOR r IN SELECT * FROM "audit_logs" ORDER BY org_id, created_at, id LOOP
        IF current_org IS DISTINCT FROM r.org_id THEN
            current_org := r.org_id;
            prev := NULL;
            n := 0;
        END IF;
        n := n + 1;
        r.seq := n;
        r.prev_hash := prev;
        r.hash := "audit_log_hash"(prev, r);
        UPDATE "audit_logs" SET seq = r.seq, prev_hash = r.prev_hash, hash = r.hash WHERE id = r.id;
        prev := r.hash;
    END LOOP;
END $$;
ALTER TABLE "audit_logs" ENABLE TRIGGER "audit_logs_append_only";

INSERT INTO "audit_chain_heads" (org_id, seq, hash)
SELECT DISTINCT ON (org_id) org_id, seq, hash FROM "audit_logs" ORDER BY org_id, seq DESC;

-- CreateIndex
CREATE UNIQUE INDEX "audit_logs_org_id_seq_key" ON "audit_logs"("org_id", "seq");

CREATE FUNCTION "audit_logs_chain"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    head "audit_chain_heads";
BEGIN
    INSERT INTO "audit_chain_heads" (org_id, seq, hash) VALUES (NEW.org_id, 0, '') ON CONFLICT (org_id) DO NOTHING;
    SELECT * INTO head FROM "audit_chain_heads" WHERE org_id = NEW.org_id FOR UPDATE;
    NEW.seq := head.seq + 1;
    NEW.prev_hash := NULLIF(head.hash, '');
    NEW.hash := "audit_log_hash"(NEW.prev_hash, NEW);
    UPDATE "audit_chain_heads" SET seq = NEW.seq, hash = NEW.hash WHERE org_id = NEW.org_id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER "audit_logs_chain"
    BEFORE INSERT ON "audit_logs"
    FOR EACH ROW EXECUTE FUNCTION "audit_logs_chain"();

-- Only the chain trigger moves a head (pg_trigger_depth() > 0 inside it); a
-- head is never deleted or truncated.
CREATE FUNCTION "audit_chain_heads_guard"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_chain_heads is changed only by the audit chain trigger';
END;
$$;

CREATE TRIGGER "audit_chain_heads_guard"
    BEFORE UPDATE OR DELETE ON "audit_chain_heads"
    FOR EACH ROW WHEN (pg_trigger_depth() < 1) EXECUTE FUNCTION "audit_chain_heads_guard"();

CREATE TRIGGER "audit_chain_heads_no_truncate"
    BEFORE TRUNCATE ON "audit_chain_heads"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit_chain_heads_guard"();
