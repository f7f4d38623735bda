-- +goose Up
-- write_marks holds, per field of each side ("ghl:email", "repsly:Email"),
-- when our last write of it landed: HighLevel's dateUpdated for contacts,
-- our clock for Repsly. A state read before that time shows the field as
-- it was before our write, not as a change, and must not be synced back.
ALTER TABLE sync_link ADD COLUMN write_marks TEXT NOT NULL DEFAULT '{}';

-- A Repsly batch applies a contact's webhooks still waiting in the inbox
-- before it writes to the contact: find them without scanning history.
CREATE INDEX inbox_pending ON inbox (location_id, id) WHERE status = 'pending';

-- +goose Down
DROP INDEX inbox_pending;
ALTER TABLE sync_link DROP COLUMN write_marks;
