-- +goose Up
-- A counter bumped by every change to users, roles, memberships, companies
-- and API tokens, in the changing transaction. Each server process caches
-- the principals it built and reuses one only while the counter is unchanged,
-- so a revoked token or a disabled user stops working on every node at once.
CREATE TABLE access_generation (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    gen  INTEGER NOT NULL
);
INSERT INTO access_generation (id, gen) VALUES (1, 0);

-- +goose Down
DROP TABLE access_generation;
