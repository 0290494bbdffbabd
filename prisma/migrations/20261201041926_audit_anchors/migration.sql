-- CreateTable
CREATE TABLE "audit_anchors" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "row_id" UUID NOT NULL,
    "row_hash" TEXT NOT NULL,
    "key_version" INTEGER NOT NULL,
    "mac" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_anchors_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "audit_anchors_org_id_seq_key" ON "audit_anchors"("org_id", "seq");

-- Anchors are append-only like the log they sign: UPDATE, DELETE and
-- TRUNCATE are refused (the database owner can still switch this off, which
-- verification then catches as a missing or mismatched anchor).
CREATE FUNCTION "audit_anchors_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_anchors is append-only';
END;
$$;

CREATE TRIGGER "audit_anchors_append_only"
    BEFORE UPDATE OR DELETE ON "audit_anchors"
    FOR EACH ROW EXECUTE FUNCTION "audit_anchors_append_only"();

CREATE TRIGGER "audit_anchors_no_truncate"
    BEFORE TRUNCATE ON "audit_anchors"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit_anchors_append_only"();
