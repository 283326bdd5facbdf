-- rasd store on PostgreSQL, schema version 1: the tables of SQLite's schema version 4, laid
-- out for a server shared by many writers, plus the queue of pending reports that workers
-- claim. Applied once, inside one transaction, under an advisory lock (see `PgStore::open`).
--
-- Differences from the SQLite schema, and why:
-- - ids and sort keys compare byte by byte (COLLATE "C"), as SQLite's do, so that both
--   backends list events and reports in the same order;
-- - the full-text index is a `tsvector` column of `documents` with a GIN index: its lexemes
--   are the words of the normalized title and text and their stems, cut and lowercased by rasd
--   (as SQLite's unicode61 tokenizer cuts them), so that PostgreSQL's own parser and locale
--   play no part and both backends find the same reports;
-- - LSH band rows go straight into `doc_bands`: PostgreSQL's B-tree inserts do not rewrite
--   pages the way SQLite's did, so there is no `doc_bands_recent`;
-- - report event bodies stay in `report_events` (a TOASTed column is not read by the
--   candidate scans, which use the window index).

CREATE TABLE runs (
    run_id           BIGSERIAL PRIMARY KEY,
    started_at       TEXT    NOT NULL,
    finished_at      TEXT,
    rasd_version     TEXT    NOT NULL,
    data_fingerprint TEXT    NOT NULL,
    inputs           TEXT    NOT NULL,          -- JSON array of the inputs as given
    new_docs         BIGINT  NOT NULL DEFAULT 0,
    duplicates       BIGINT  NOT NULL DEFAULT 0,
    near_duplicates  BIGINT  NOT NULL DEFAULT 0,
    failed           BIGINT  NOT NULL DEFAULT 0,
    events           BIGINT  NOT NULL DEFAULT 0,
    batches          BIGINT  NOT NULL DEFAULT 0  -- committed batches: the ingest checkpoint
);

CREATE TABLE run_failures (
    id     BIGSERIAL PRIMARY KEY,
    run_id BIGINT NOT NULL REFERENCES runs(run_id),
    input  TEXT   NOT NULL,
    reason TEXT   NOT NULL
);
CREATE INDEX run_failures_run ON run_failures(run_id);

CREATE TABLE documents (
    id           BIGSERIAL PRIMARY KEY,
    doc_id       TEXT COLLATE "C"    NOT NULL UNIQUE,
    content_hash TEXT     NOT NULL UNIQUE,      -- SHA-256 of the normalized text (hex)
    title        TEXT,
    source       TEXT,
    url          TEXT,
    published    TEXT,
    text         TEXT     NOT NULL,             -- the original text, as read
    story_id     TEXT COLLATE "C"    NOT NULL,             -- smallest doc_id of its near-duplicate story
    run_id       BIGINT   NOT NULL REFERENCES runs(run_id),
    coded_run    BIGINT   REFERENCES runs(run_id), -- NULL: coded by run_id
    terms        TSVECTOR NOT NULL              -- the full-text index's lexemes
);
CREATE INDEX documents_story ON documents(story_id);
CREATE INDEX documents_terms ON documents USING GIN (terms);

CREATE TABLE doc_signatures (
    doc       BIGINT PRIMARY KEY REFERENCES documents(id),
    signature BYTEA  NOT NULL                   -- MinHash signature
);

-- LSH band keys (31 bits, as in SQLite) of each document's signature.
CREATE TABLE doc_bands (
    band_key BIGINT NOT NULL,
    doc      BIGINT NOT NULL REFERENCES documents(id),
    PRIMARY KEY (band_key, doc)
);

-- Events as the analyzer found them in one report.
CREATE TABLE report_events (
    id             BIGSERIAL PRIMARY KEY,
    event_id       TEXT COLLATE "C"   NOT NULL UNIQUE,
    doc_id         TEXT COLLATE "C"   NOT NULL REFERENCES documents(doc_id),
    sub_event_type TEXT    NOT NULL,
    factual        BOOLEAN NOT NULL,
    window_lo      BIGINT,                      -- date window, days from CE (NULL: undated)
    window_hi      BIGINT,
    latitude       DOUBLE PRECISION,
    longitude      DOUBLE PRECISION,
    geo_rank       BIGINT  NOT NULL,            -- 1 place, 2 near, 3 region, 4 unplaced
    admin1_pcode   TEXT,
    admin1_name    TEXT,                        -- trimmed, ASCII-lowercased
    location_pcode TEXT,
    component      TEXT COLLATE "C"   NOT NULL,            -- connected component of the merge graph
    dataset_id     TEXT COLLATE "C"   NOT NULL,            -- the dataset event it is merged into
    body           TEXT    NOT NULL             -- the event as JSON, evidence included
);
CREATE INDEX report_events_window ON report_events(sub_event_type, window_lo, window_hi)
    WHERE factual;
CREATE INDEX report_events_component ON report_events(component);
CREATE INDEX report_events_dataset ON report_events(dataset_id);
CREATE INDEX report_events_doc ON report_events(doc_id);

-- Merged events: the dataset.
CREATE TABLE dataset_events (
    event_id       TEXT COLLATE "C"   PRIMARY KEY,
    sort_key       TEXT COLLATE "C"   NOT NULL,            -- the date, or '~' when undated (sorts last)
    date           TEXT,
    event_type     TEXT    NOT NULL,
    sub_event_type TEXT    NOT NULL,
    admin1         TEXT,
    admin1_pcode   TEXT,
    latitude       DOUBLE PRECISION,
    longitude      DOUBLE PRECISION,
    factual        BOOLEAN NOT NULL,
    actors_key     TEXT    NOT NULL,            -- lowercased names for --actor
    corroboration  BIGINT  NOT NULL,            -- distinct reports
    component      TEXT COLLATE "C"   NOT NULL,
    body           TEXT    NOT NULL             -- the merged event as JSON
);
CREATE INDEX dataset_events_order ON dataset_events(sort_key, event_id);
CREATE INDEX dataset_events_component ON dataset_events(component);

-- Reports queued by `rasd ingest --queue`, waiting for a worker (`rasd worker`). A worker
-- claims rows with FOR UPDATE SKIP LOCKED and deletes them in the transaction that stores
-- their analysis; a worker that dies releases its rows, which go back to the queue.
CREATE TABLE pending_documents (
    id           BIGSERIAL PRIMARY KEY,
    doc_id       TEXT COLLATE "C"  NOT NULL,
    content_hash TEXT   NOT NULL UNIQUE,
    title        TEXT,
    source       TEXT,
    url          TEXT,
    published    TEXT,
    text         TEXT   NOT NULL,
    run_id       BIGINT NOT NULL REFERENCES runs(run_id)  -- the run that queued it
);
