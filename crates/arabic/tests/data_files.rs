//! Repository checks on `data/arabic/*.tsv`: each file opens with `#` comment lines that
//! name its columns, source and licence; rows are sorted by their first column (as written,
//! in code point order) and unique; every row has the same number of columns; and the files
//! load.

#![allow(clippy::unwrap_used)] // Tests may unwrap.

use rasd_arabic::data::BUILTIN;

#[test]
fn data_files_are_documented_sorted_and_unique() {
    assert!(!BUILTIN.is_empty());
    for (name, text) in BUILTIN {
        let header: Vec<&str> = text.lines().take_while(|l| l.starts_with('#')).collect();
        assert!(!header.is_empty(), "{name}: no header comment");
        let header = header.join("\n").to_lowercase();
        for word in ["columns", "source", "licence"] {
            assert!(
                header.contains(word),
                "{name}: the header does not name its {word}"
            );
        }
        let rows: Vec<(usize, Vec<&str>)> = rasd_core::data::tsv_rows(text).collect();
        assert!(!rows.is_empty(), "{name}: no rows");
        let width = rows[0].1.len();
        for pair in rows.windows(2) {
            let (line, ref a) = pair[0];
            let (next, ref b) = pair[1];
            assert!(
                a[0] < b[0],
                "data/{name}:{next}: «{}» is not after «{}» (line {line})",
                b[0],
                a[0]
            );
        }
        for (line, fields) in &rows {
            assert_eq!(
                fields.len(),
                width,
                "data/{name}:{line}: {} columns, expected {width}",
                fields.len()
            );
            assert!(
                fields.iter().all(|f| !f.is_empty()),
                "data/{name}:{line}: an empty column"
            );
        }
    }
}

#[test]
fn data_files_load() {
    rasd_arabic::Clitics::new().unwrap();
    rasd_arabic::NumberParser::new().unwrap();
    rasd_arabic::DateParser::new().unwrap();
}
