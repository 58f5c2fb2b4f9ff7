-- +goose Up
-- The change log is append-only in the database itself: updates and deletes
-- are refused, whoever sends them. Someone with the rights to drop these
-- triggers can still tamper; `backoffice audit verify` detects that.
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the change log is append-only: records cannot be changed');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the change log is append-only: records cannot be deleted');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER audit_log_no_delete;
DROP TRIGGER audit_log_no_update;
