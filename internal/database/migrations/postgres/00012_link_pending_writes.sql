-- +goose Up
-- pending_writes holds, per field of each side ("ghl:city", "repsly:City"),
-- the value of a write the engine is about to send and when it sent it.
-- It is committed before the API call (write-ahead), so that after a crash
-- between the call and the link update a read showing that value is known
-- as our own write, not taken for a user's edit and synced back over a
-- newer one.
ALTER TABLE sync_link ADD COLUMN pending_writes TEXT NOT NULL DEFAULT '{}';

-- Repsly imports sent without waiting stay pending until a poll or a
-- status read settles them; the check after each poll finds them here.
CREATE INDEX sync_link_pending ON sync_link (flow) WHERE pending_writes <> '{}';

-- +goose Down
DROP INDEX sync_link_pending;
ALTER TABLE sync_link DROP COLUMN pending_writes;
