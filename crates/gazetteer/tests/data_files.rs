//! Repository checks on the gazetteer's data files: each opens with `#` comment lines naming
//! its columns, source and licence; rows are sorted by key and unique; every row has the
//! columns its header names; normalized forms of hand-written word lists are unique too.

#![allow(clippy::unwrap_used)] // tests may unwrap

use rasd_core::data::tsv_rows;
use rasd_gazetteer::BUILTIN;
use std::collections::HashSet;

#[test]
fn every_file_has_a_header_naming_columns_source_and_licence() {
    for (name, text) in BUILTIN {
        let header: Vec<&str> = text.lines().take_while(|l| l.starts_with('#')).collect();
        assert!(!header.is_empty(), "{name}: no header comment");
        let header = header.join("\n").to_lowercase();
        assert!(
            header.contains("columns:"),
            "{name}: the header names no columns"
        );
        assert!(
            header.contains("licence"),
            "{name}: the header names no licence"
        );
        assert!(
            header.contains("source") || header.contains("derived"),
            "{name}: no source"
        );
    }
}

#[test]
fn rows_are_sorted_by_key_and_unique() {
    for (name, text) in BUILTIN {
        let mut previous: Option<(usize, String)> = None;
        for (line, fields) in tsv_rows(text) {
            let key = fields[0].to_string();
            if let Some((pline, pkey)) = &previous {
                assert!(
                    pkey.as_bytes() < key.as_bytes(),
                    "data/{name}:{line}: «{key}» is not after «{pkey}» (line {pline}): rows must be sorted and unique"
                );
            }
            previous = Some((line, key));
        }
    }
}

#[test]
fn rows_have_every_column() {
    for (name, text) in BUILTIN {
        let columns = text
            .lines()
            .find_map(|l| l.split_once("Columns:").map(|(_, c)| c.split('\t').count()))
            .unwrap_or_else(|| panic!("{name}: no Columns: line"));
        for (line, fields) in tsv_rows(text) {
            assert_eq!(
                fields.len(),
                columns,
                "data/{name}:{line}: {} columns, the header names {columns}",
                fields.len()
            );
            assert!(
                fields.iter().all(|f| !f.is_empty()),
                "data/{name}:{line}: an empty column (write -)"
            );
        }
    }
}

#[test]
fn hand_written_word_lists_are_unique_once_normalized() {
    for name in [
        "gazetteer/cues.tsv",
        "gazetteer/traps.tsv",
        "gazetteer/aliases.tsv",
    ] {
        let text = BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| *t)
            .unwrap();
        let mut seen = HashSet::new();
        for (line, fields) in tsv_rows(text) {
            let key = rasd_arabic::normalize_key(fields[0]);
            assert!(
                seen.insert(key.clone()),
                "data/{name}:{line}: «{key}» is there twice once normalized"
            );
        }
    }
}
