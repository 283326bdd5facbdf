-- rasd store (PostgreSQL), schema version 8: each report's full-text terms are its words, not
-- their stems too, as in SQLite's schema 15 (issue 13): a query word asks for the words it is
-- a stem of instead. The terms are written again from each stored report's title and text by
-- the migration's Rust step (`index_stored_reports_again`).
SELECT 1;
