-- Live status events (hand-written).
--
-- Every committed change of a connection's status is announced on the
-- channel the live lists and forms listen to (CONNECTION_CHANNEL in
-- lib/events/connection-change.ts), with the payload encodeChange produces:
-- {"o":<org id>,"u":<connection uuid>,"s":<status>}. A trigger rather than a
-- call in each writer, as for the cache invalidations: the OAuth callback, a
-- failed or recovering token refresh, the admin API and SQL run by hand all
-- announce, and no writer can forget it. A new connection is announced too,
-- so an open list shows it. NOTIFY is delivered on COMMIT only, so a
-- rolled-back write announces nothing; a write that keeps the status (a key
-- rotation re-seal, a token refresh, a rename) announces nothing either.
CREATE FUNCTION "settings_announce_status"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    s TEXT := NEW.value->>'status';
BEGIN
    IF s IS NULL THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND (OLD.value->>'status') IS NOT DISTINCT FROM s THEN
        RETURN NULL;
    END IF;
    PERFORM pg_notify('switchboard_connection_changes',
        format('{"o":%s,"u":%s,"s":%s}', to_json(NEW.org_id::text), to_json(NEW.uuid::text), to_json(s)));
    RETURN NULL;
END;
$$;

CREATE TRIGGER "settings_announce_status"
    AFTER INSERT OR UPDATE ON "settings"
    FOR EACH ROW EXECUTE FUNCTION "settings_announce_status"();
