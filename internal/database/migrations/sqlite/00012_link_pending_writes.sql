-- +goose Up
-- pending_writes holds, per field of each side ("ghl:city", "repsly:City"),
-- the value of a write the engine is about to send and when it sent it.
-- It is committed before the API call (write-ahead), so that after a crash
-- between the call and the link update a read showing that value is known
-- as our own write, not taken for a user's edit and synced back over a
-- newer one.
ALTER TABLE sync_link ADD COLUMN pending_writes TEXT NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE sync_link DROP COLUMN pending_writes;
