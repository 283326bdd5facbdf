-- rasd store, schema version 14: MinHash signatures by one-permutation hashing (issue 13).
--
-- A report's signature was sixty hash functions per word shingle; it is now one hash per
-- shingle, binned and densified (`rasd_resolve::minhash`), about a tenth of an ingest's work
-- less. The two schemes' values cannot be compared, so every stored report is signed again
-- from its text, and its LSH band rows are written anew: the band tables are emptied here and
-- filled by the migration's Rust step (`sign_stored_reports_again`). Which reports were found
-- to be one story stays as it was.
DELETE FROM doc_bands;
DELETE FROM doc_bands_recent;
