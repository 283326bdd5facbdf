-- rasd store, schema version 5: reviewers' corrections, their audit log, and API tokens.
--
-- Corrections sit on top of the analyzer's coding: they live here, keyed by the event id a
-- reviewer saw, and are applied over the dataset events when these are read. Ingest and
-- re-analysis rewrite only the analyzer's tables (`report_events`, `report_event_bodies`,
-- `dataset_events`), so a correction survives them as long as its event does (event ids are
-- hashes of report, type, place and date).

-- The state each reviewed event is in: the last verdict and every field corrected so far.
CREATE TABLE reviews (
    event_id    TEXT    PRIMARY KEY,
    status      TEXT    NOT NULL CHECK (status IN ('confirmed', 'corrected', 'rejected', 'merged')),
    fields      TEXT    NOT NULL,              -- JSON object: corrected fields of the contract
    merged_into TEXT,                          -- for a merged event, the event it joined
    updated_at  TEXT    NOT NULL,              -- RFC 3339, UTC
    updated_by  TEXT    NOT NULL               -- the token's name
);
CREATE INDEX reviews_merged_into ON reviews(merged_into) WHERE merged_into IS NOT NULL;

-- Every review action, never rewritten: who, when, what, and the event before and after.
CREATE TABLE review_log (
    seq        INTEGER PRIMARY KEY,
    event_id   TEXT    NOT NULL,
    action     TEXT    NOT NULL,
    who        TEXT    NOT NULL,
    at         TEXT    NOT NULL,               -- RFC 3339, UTC
    comment    TEXT,
    before     TEXT    NOT NULL,               -- the event as read before (JSON)
    after      TEXT    NOT NULL                -- the event as read after (JSON)
);
CREATE INDEX review_log_event ON review_log(event_id, seq);

-- Tokens of the API's reviewers and admins: only a hash of each token is kept.
CREATE TABLE tokens (
    name       TEXT    PRIMARY KEY,
    role       TEXT    NOT NULL CHECK (role IN ('reviewer', 'admin')),
    hash       TEXT    NOT NULL UNIQUE,        -- SHA-256 of the token (hex)
    created_at TEXT    NOT NULL
);
