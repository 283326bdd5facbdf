-- rasd store, schema version 1: documents, near-duplicate stories, report events with their
-- evidence, merged dataset events, and the run log. Applied once, inside one transaction.

CREATE TABLE runs (
    run_id           INTEGER PRIMARY KEY,
    started_at       TEXT    NOT NULL,
    finished_at      TEXT,
    rasd_version     TEXT    NOT NULL,
    data_fingerprint TEXT    NOT NULL,
    inputs           TEXT    NOT NULL,          -- JSON array of the inputs as given
    new_docs         INTEGER NOT NULL DEFAULT 0,
    duplicates       INTEGER NOT NULL DEFAULT 0,
    near_duplicates  INTEGER NOT NULL DEFAULT 0,
    failed           INTEGER NOT NULL DEFAULT 0,
    events           INTEGER NOT NULL DEFAULT 0,
    batches          INTEGER NOT NULL DEFAULT 0  -- committed batches: the ingest checkpoint
);

CREATE TABLE run_failures (
    run_id INTEGER NOT NULL REFERENCES runs(run_id),
    input  TEXT    NOT NULL,
    reason TEXT    NOT NULL
);
CREATE INDEX run_failures_run ON run_failures(run_id);

CREATE TABLE documents (
    doc_id       TEXT    PRIMARY KEY,
    content_hash TEXT    NOT NULL UNIQUE,       -- SHA-256 of the normalized text
    title        TEXT,
    source       TEXT,
    url          TEXT,
    published    TEXT,
    text         TEXT    NOT NULL,              -- the original text, as read
    story_id     TEXT    NOT NULL,              -- smallest doc_id of its near-duplicate story
    signature    BLOB    NOT NULL,              -- MinHash signature
    run_id       INTEGER NOT NULL REFERENCES runs(run_id)
);
CREATE INDEX documents_story ON documents(story_id);

-- LSH band keys of each document's signature: documents sharing a key are candidates.
CREATE TABLE doc_bands (
    band_key INTEGER NOT NULL,
    doc_id   TEXT    NOT NULL REFERENCES documents(doc_id),
    PRIMARY KEY (band_key, doc_id)
) WITHOUT ROWID;

-- Normalized title and text, and the stems of the text's words with their proclitics split
-- off (so «درعا» finds «بدرعا» and «ودرعا»); rowid = documents.rowid.
CREATE VIRTUAL TABLE documents_fts USING fts5(title, body, stems, tokenize = 'unicode61');

-- Events as the analyzer found them in one report.
CREATE TABLE report_events (
    event_id       TEXT    PRIMARY KEY,
    doc_id         TEXT    NOT NULL REFERENCES documents(doc_id),
    sub_event_type TEXT    NOT NULL,
    factual        INTEGER NOT NULL,
    window_lo      INTEGER,                     -- date window, days from CE (NULL: undated)
    window_hi      INTEGER,
    latitude       REAL,
    longitude      REAL,
    geo_rank       INTEGER NOT NULL,            -- 1 place, 2 near, 3 region, 4 unplaced
    admin1_pcode   TEXT,
    admin1_name    TEXT,                        -- trimmed, ASCII-lowercased
    location_pcode TEXT,
    component      TEXT    NOT NULL,            -- connected component of the merge graph
    dataset_id     TEXT    NOT NULL,            -- the dataset event it is merged into
    body           TEXT    NOT NULL             -- the event as JSON, without its evidence
);
-- Merge candidates: covers every column the candidate query filters on, so that scanning a
-- date window never reads the table.
CREATE INDEX report_events_window ON report_events(sub_event_type, window_lo, window_hi, factual,
    latitude, longitude, geo_rank, admin1_pcode, admin1_name, location_pcode, component);
CREATE INDEX report_events_component ON report_events(component);
CREATE INDEX report_events_dataset ON report_events(dataset_id);
CREATE INDEX report_events_doc ON report_events(doc_id);

CREATE TABLE evidence (
    event_id TEXT    NOT NULL REFERENCES report_events(event_id),
    seq      INTEGER NOT NULL,
    doc_id   TEXT    NOT NULL REFERENCES documents(doc_id),
    start    INTEGER NOT NULL,
    end      INTEGER NOT NULL,
    field    TEXT    NOT NULL,
    text     TEXT    NOT NULL,
    PRIMARY KEY (event_id, seq)
) WITHOUT ROWID;

-- Merged events: the dataset.
CREATE TABLE dataset_events (
    event_id       TEXT    PRIMARY KEY,
    sort_key       TEXT    NOT NULL,            -- the date, or '~' when undated (sorts last)
    date           TEXT,
    event_type     TEXT    NOT NULL,
    sub_event_type TEXT    NOT NULL,
    admin1         TEXT,
    admin1_pcode   TEXT,
    latitude       REAL,
    longitude      REAL,
    factual        INTEGER NOT NULL,
    actors_key     TEXT    NOT NULL,            -- lowercased names for --actor
    corroboration  INTEGER NOT NULL,            -- distinct reports
    component      TEXT    NOT NULL,
    body           TEXT    NOT NULL             -- the merged event as JSON
);
CREATE INDEX dataset_events_order ON dataset_events(sort_key, event_id);
CREATE INDEX dataset_events_component ON dataset_events(component);
