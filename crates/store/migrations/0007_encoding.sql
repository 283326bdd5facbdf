-- rasd store, schema version 7: the character encoding each report came in.
--
-- Reports saved in windows-1256, ISO-8859-6 or UTF-16 are decoded when read; the text stored
-- is the decoded text, which every evidence span indexes. `encoding` names the encoding the
-- report was decoded from (WHATWG names: `windows-1256`, `ISO-8859-6`, `UTF-16LE`,
-- `UTF-16BE`); NULL for UTF-8, as every report stored before this version was.
ALTER TABLE documents ADD COLUMN encoding TEXT;
