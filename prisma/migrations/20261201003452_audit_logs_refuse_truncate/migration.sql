-- The audit log is append-only: the row trigger of the init migration refuses
-- UPDATE and DELETE, and TRUNCATE (which fires no row trigger) is refused by a
-- statement-level trigger with the same function.
CREATE TRIGGER "audit_logs_no_truncate"
    BEFORE TRUNCATE ON "audit_logs"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit_logs_append_only"();
