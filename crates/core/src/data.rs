//! Language data files: compiled-in defaults that a user extends or replaces without
//! recompiling.
//!
//! Each crate embeds its files (`include_str!` of `data/...`) and asks a [`DataFiles`] for the
//! texts to load. A user's directory (`--data DIR`) may hold a file of the same relative name:
//! its rows are loaded **after** the built-in rows (so a row with the same key wins), or, when
//! its first line is `#!replace`, **instead of** them. Reading the directory is the caller's
//! job (core does no I/O): it passes the files in with [`DataFiles::add_override`].

use std::collections::BTreeMap;

/// The texts of the data files one analysis uses.
#[derive(Clone, Debug, Default)]
pub struct DataFiles {
    overrides: BTreeMap<String, String>,
}

/// The marker line that makes a user's file replace the built-in one.
pub const REPLACE_MARKER: &str = "#!replace";

/// One text to load, with the name to cite in errors (`file:line`).
#[derive(Clone, Copy, Debug)]
pub struct DataText<'a> {
    /// `data/NAME` for built-in text, the user's path for an override.
    pub origin: &'a str,
    /// The file's contents.
    pub text: &'a str,
}

impl DataFiles {
    /// Only the built-in files.
    pub fn new() -> DataFiles {
        DataFiles::default()
    }

    /// Registers a user's file for the relative `name` (e.g. `lexicon/triggers.tsv`).
    pub fn add_override(&mut self, name: impl Into<String>, text: impl Into<String>) {
        self.overrides.insert(name.into(), text.into());
    }

    /// The user's files, by relative name.
    pub fn overrides(&self) -> impl Iterator<Item = (&str, &str)> {
        self.overrides.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The texts to load for `name`, in order: the built-in text (unless replaced), then the
    /// user's.
    pub fn texts<'a>(&'a self, name: &'a str, builtin: &'a str) -> Vec<DataText<'a>> {
        let mut out = Vec::with_capacity(2);
        match self.overrides.get(name) {
            Some(user) if user.trim_start().starts_with(REPLACE_MARKER) => {
                out.push(DataText {
                    origin: name,
                    text: user,
                });
            }
            Some(user) => {
                out.push(DataText {
                    origin: name,
                    text: builtin,
                });
                out.push(DataText {
                    origin: name,
                    text: user,
                });
            }
            None => out.push(DataText {
                origin: name,
                text: builtin,
            }),
        }
        out
    }

    /// A hash of the user's files, recorded with each run (built-in data is fixed by the
    /// rasd version).
    pub fn fingerprint(&self) -> String {
        let mut all = String::new();
        for (name, text) in &self.overrides {
            all.push_str(name);
            all.push('\u{1f}');
            all.push_str(text);
            all.push('\u{1e}');
        }
        crate::content_hash(&all)[..16].to_string()
    }
}

/// The data rows of a TSV text: `(line number, fields)`, skipping blank lines and lines that
/// start with `#` (the header comment naming the columns).
pub fn tsv_rows(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines().enumerate().filter_map(|(i, line)| {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            None
        } else {
            Some((i + 1, line.split('\t').map(str::trim).collect()))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_files_extend_or_replace() {
        let mut files = DataFiles::new();
        assert_eq!(files.texts("a.tsv", "x").len(), 1);
        files.add_override("a.tsv", "y");
        files.add_override("b.tsv", "#!replace\nz");
        let a: Vec<&str> = files.texts("a.tsv", "x").iter().map(|t| t.text).collect();
        assert_eq!(a, vec!["x", "y"]);
        let b: Vec<&str> = files.texts("b.tsv", "x").iter().map(|t| t.text).collect();
        assert_eq!(b, vec!["#!replace\nz"]);
        assert_eq!(files.fingerprint().len(), 16);
    }

    #[test]
    fn tsv_rows_skip_comments_and_blanks() {
        let rows: Vec<_> = tsv_rows("# a\tb\n\nx\ty\r\n#c\nz\n").collect();
        assert_eq!(rows, vec![(3, vec!["x", "y"]), (5, vec!["z"])]);
    }
}
