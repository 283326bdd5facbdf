-- rasd store (PostgreSQL), schema version 7: MinHash signatures by one-permutation hashing, as
-- in SQLite's schema 14 (issue 13). The two schemes' values cannot be compared, so every stored
-- report is signed again from its text and its LSH band rows are written anew: the band table
-- is emptied here and filled by the migration's Rust step (`sign_stored_reports_again`). Which
-- reports were found to be one story stays as it was.
DELETE FROM doc_bands;
