-- rasd store, schema version 3: a smaller database whose writes land where the last ones did.
--
-- An ingest slowed down as the file grew past SQLite's page cache, because every batch wrote
-- into pages scattered over large trees keyed by random strings. This version:
-- - keeps each report event's evidence in its JSON body, and the bodies in a table of their
--   own, written once at its end, instead of an `evidence` tree keyed by random event ids;
--   `report_events` keeps the narrow columns merging reads and rewrites;
-- - gives documents an explicit integer key, which is also the full-text rowid (an implicit
--   rowid may change under VACUUM); LSH band rows name that key, and band keys keep 31 bits
--   (a collision only adds a candidate, which its signature then rules out);
-- - gathers the band rows of the newest documents in a small table (doc_bands_recent);
-- - indexes content hashes by their first 16 digits;
-- - moves MinHash signatures to a narrow table, so that checking a candidate does not read
--   its whole text;
-- - makes the full-text index contentless: search reads the text from `documents`.
-- The tables written for every report and read only by the store (signatures, bands, event
-- bodies) name their document or event without a foreign key: checking one on each insert
-- cost a sixth of an ingest's time. `check_integrity` checks them instead.
-- Applied with foreign keys off (see `SqliteStore::open`), then checked.

CREATE TABLE documents_v3 (
    id           INTEGER PRIMARY KEY,           -- the full-text index's rowid
    doc_id       TEXT    NOT NULL UNIQUE,
    content_hash TEXT    NOT NULL,              -- SHA-256 of the normalized text (hex)
    title        TEXT,
    source       TEXT,
    url          TEXT,
    published    TEXT,
    text         TEXT    NOT NULL,              -- the original text, as read
    story_id     TEXT    NOT NULL,              -- smallest doc_id of its near-duplicate story
    run_id       INTEGER NOT NULL REFERENCES runs(run_id)
);
INSERT INTO documents_v3 (id, doc_id, content_hash, title, source, url, published, text,
    story_id, run_id)
SELECT rowid, doc_id, content_hash, title, source, url, published, text, story_id, run_id
FROM documents ORDER BY rowid;

-- MinHash signatures, one per document.
CREATE TABLE doc_signatures (
    doc       INTEGER PRIMARY KEY,              -- documents.id
    signature BLOB    NOT NULL
);
INSERT INTO doc_signatures (doc, signature) SELECT rowid, signature FROM documents ORDER BY rowid;

-- LSH band keys (31 bits) of each document's signature: documents sharing a key are candidates.
CREATE TABLE doc_bands_v3 (
    band_key INTEGER NOT NULL,
    doc      INTEGER NOT NULL,                  -- documents.id
    PRIMARY KEY (band_key, doc)
) WITHOUT ROWID;
INSERT OR IGNORE INTO doc_bands_v3 (band_key, doc)
SELECT b.band_key & 2147483647, d.rowid FROM doc_bands b JOIN documents d ON d.doc_id = b.doc_id;

-- Band rows of the newest documents. Band keys are random, so each batch's rows would touch
-- nearly every page of a large doc_bands; they land in this small table instead, and are
-- moved into doc_bands in one sorted pass once it holds enough (`RECENT_BAND_ROWS`).
CREATE TABLE doc_bands_recent (
    band_key INTEGER NOT NULL,
    doc      INTEGER NOT NULL,                  -- documents.id
    PRIMARY KEY (band_key, doc)
) WITHOUT ROWID;

-- The full-text index without its own copy of the text.
CREATE VIRTUAL TABLE documents_fts_v3 USING fts5(title, body, stems, tokenize = 'unicode61',
    content = '', contentless_delete = 1);
INSERT INTO documents_fts_v3 (rowid, title, body, stems)
SELECT rowid, title, body, stems FROM documents_fts ORDER BY rowid;

-- Events as the analyzer found them in one report: what merging reads and rewrites.
CREATE TABLE report_events_v3 (
    id             INTEGER PRIMARY KEY,
    event_id       TEXT    NOT NULL UNIQUE,
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
    dataset_id     TEXT    NOT NULL             -- the dataset event it is merged into
);
INSERT INTO report_events_v3 (id, event_id, doc_id, sub_event_type, factual, window_lo,
    window_hi, latitude, longitude, geo_rank, admin1_pcode, admin1_name, location_pcode,
    component, dataset_id)
SELECT rowid, event_id, doc_id, sub_event_type, factual, window_lo, window_hi, latitude,
    longitude, geo_rank, admin1_pcode, admin1_name, location_pcode, component, dataset_id
FROM report_events ORDER BY rowid;

-- Each report event as JSON, with its evidence in order; written once. The array is passed
-- through json(): SQLite 3.45 and later no longer carry the JSON subtype out of a subquery,
-- and json_set would store the array as a string.
CREATE TABLE report_event_bodies (
    id   INTEGER PRIMARY KEY,                   -- report_events.id
    body TEXT    NOT NULL
);
INSERT INTO report_event_bodies (id, body)
SELECT r.rowid, json_set(r.body, '$.evidence', json((
    SELECT json_group_array(json_object('doc_id', e.doc_id, 'start', e.start, 'end', e.end,
        'text', e.text, 'field', e.field) ORDER BY e.seq)
    FROM evidence e WHERE e.event_id = r.event_id)))
FROM report_events r ORDER BY r.rowid;

DROP TABLE evidence;
DROP TABLE report_events;
DROP TABLE documents_fts;
DROP TABLE doc_bands;
DROP TABLE documents;
ALTER TABLE documents_v3 RENAME TO documents;
ALTER TABLE doc_bands_v3 RENAME TO doc_bands;
ALTER TABLE documents_fts_v3 RENAME TO documents_fts;
ALTER TABLE report_events_v3 RENAME TO report_events;
CREATE INDEX documents_story ON documents(story_id);
-- Exact duplicates are found by the hash's first 16 hex digits, a quarter of the index a
-- whole-hash UNIQUE index was; the store refuses a second report with the same hash.
CREATE INDEX documents_hash ON documents(substr(content_hash, 1, 16));
-- As in version 2: merge candidates in two partial covering indexes.
CREATE INDEX report_events_narrow ON report_events(sub_event_type, window_lo, window_hi, factual,
    latitude, longitude, geo_rank, admin1_pcode, admin1_name, location_pcode, component, event_id)
    WHERE window_hi - window_lo < 7;
CREATE INDEX report_events_wide ON report_events(sub_event_type, window_lo, window_hi, factual,
    latitude, longitude, geo_rank, admin1_pcode, admin1_name, location_pcode, component, event_id)
    WHERE window_hi - window_lo >= 7;
CREATE INDEX report_events_component ON report_events(component);
CREATE INDEX report_events_dataset ON report_events(dataset_id);
CREATE INDEX report_events_doc ON report_events(doc_id);
