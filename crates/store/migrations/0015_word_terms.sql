-- rasd store, schema version 15: the full-text index holds each report's words, not their
-- stems too (issue 13).
--
-- A query word now asks for the words it is a stem of (`درعا`: `درعا`, `بدرعا`, `ودرعا`...,
-- `rasd_store::terms`), so the index no longer needs every word's stems: it was half as large
-- again with them, and indexing them was a sixth of what the writing thread did. The index is
-- emptied here and filled again from each stored report's text by the migration's Rust step
-- (`index_stored_reports_again`). A search finds the reports it found before, and also a
-- headline's words by their stems, which the old index held for the text alone.
INSERT INTO documents_fts (documents_fts) VALUES ('delete-all');
