-- rasd store on PostgreSQL, schema version 3: the character encoding each report came in.
--
-- As SQLite's schema 7: reports saved in windows-1256, ISO-8859-6 or UTF-16 are decoded when
-- read, and `encoding` names the encoding they were decoded from (WHATWG names); NULL for
-- UTF-8. Queued reports keep it until a worker stores them.
ALTER TABLE documents ADD COLUMN encoding TEXT;
ALTER TABLE pending_documents ADD COLUMN encoding TEXT;
