-- rasd store, schema version 11: a smaller store, written faster (issue 13).
--
-- - The full-text index holds one column per report: the terms search finds it by (the words
--   of its normalized title and text and the text's words with their proclitics split off,
--   lowercased, each once; `rasd_store::search_terms`), space-separated. They hold no ASCII
--   punctuation, so the `ascii` tokenizer cuts them back apart and does nothing else; and a
--   query is an AND of words, so the index keeps which reports hold a term and no positions
--   (`detail = none`). It was three columns (title, text, stems) cut by `unicode61`, with
--   every position: two thirds of the time an ingest spent writing, and a fifth of the file.
-- - `documents.text`, `report_event_bodies.body` and `dataset_events.body` hold one zstd frame
--   each (a BLOB; the columns keep their declared TEXT type, which a BLOB is stored under as
--   it is). The texts were a third of the file.
-- - `report_event_bodies.evidence` counts each report event's evidence, which SQL no longer
--   reads from the compressed body.
--
-- The rows of the new index and the compressed values are written by the Rust step that runs
-- after this SQL, in the same transaction (`pack_and_index_stored_values` in sqlite.rs).
DROP TABLE documents_fts;
CREATE VIRTUAL TABLE documents_fts USING fts5(terms, tokenize = 'ascii', detail = none,
    content = '', contentless_delete = 1);

ALTER TABLE report_event_bodies ADD COLUMN evidence INTEGER NOT NULL DEFAULT 0;
UPDATE report_event_bodies SET evidence = coalesce(json_array_length(body, '$.evidence'), 0);
