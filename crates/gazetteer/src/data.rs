//! The gazetteer's data files (`data/gazetteer/*.tsv`), built in or overridden by a user.

use crate::Error;
use rasd_core::{data::tsv_rows, DataFiles};
use rustc_hash::FxHashMap as HashMap;

/// The built-in data files: `(name, text)`, where `name` is the relative name a user's
/// `--data DIR` file must have to extend or replace it.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "gazetteer/admin.tsv",
        include_str!("../../../data/gazetteer/admin.tsv"),
    ),
    (
        "gazetteer/aliases.tsv",
        include_str!("../../../data/gazetteer/aliases.tsv"),
    ),
    (
        "gazetteer/common_words.tsv",
        include_str!("../../../data/gazetteer/common_words.tsv"),
    ),
    (
        "gazetteer/countries.tsv",
        include_str!("../../../data/gazetteer/countries.tsv"),
    ),
    (
        "gazetteer/country_words.tsv",
        include_str!("../../../data/gazetteer/country_words.tsv"),
    ),
    (
        "gazetteer/cues.tsv",
        include_str!("../../../data/gazetteer/cues.tsv"),
    ),
    (
        "gazetteer/extra_places.tsv",
        include_str!("../../../data/gazetteer/extra_places.tsv"),
    ),
    (
        "gazetteer/joined_prefixes.tsv",
        include_str!("../../../data/gazetteer/joined_prefixes.tsv"),
    ),
    (
        "gazetteer/people.tsv",
        include_str!("../../../data/gazetteer/people.tsv"),
    ),
    (
        "gazetteer/places.tsv",
        include_str!("../../../data/gazetteer/places.tsv"),
    ),
    (
        "gazetteer/traps.tsv",
        include_str!("../../../data/gazetteer/traps.tsv"),
    ),
    (
        "gazetteer/world.tsv",
        include_str!("../../../data/gazetteer/world.tsv"),
    ),
];

/// One data row: the file it came from, its line and its fields.
pub(crate) struct Row<'a> {
    pub origin: &'a str,
    pub user: bool,
    pub line: usize,
    pub fields: Vec<&'a str>,
}

impl Row<'_> {
    /// An error naming this row (`file:line`).
    pub(crate) fn error(&self, message: impl Into<String>) -> Error {
        let origin = if self.user {
            format!("{} (user data)", self.origin)
        } else {
            format!("data/{}", self.origin)
        };
        Error::Data {
            origin,
            line: self.line,
            message: message.into(),
        }
    }

    /// Field `i`, which must not be empty.
    pub(crate) fn field(&self, i: usize, column: &str) -> Result<&str, Error> {
        match self.fields.get(i) {
            Some(f) if !f.is_empty() => Ok(f),
            _ => Err(self.error(format!("missing column {} ({column})", i + 1))),
        }
    }

    /// Field `i`, `None` when it is `-`.
    pub(crate) fn optional(&self, i: usize, column: &str) -> Result<Option<&str>, Error> {
        self.field(i, column).map(|f| (f != "-").then_some(f))
    }

    /// Field `i` split on `|` (nothing when it is `-`).
    pub(crate) fn list(&self, i: usize, column: &str) -> Result<Vec<&str>, Error> {
        Ok(self
            .optional(i, column)?
            .map(|f| {
                f.split('|')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Field `i` parsed as a number.
    pub(crate) fn number<T: std::str::FromStr>(&self, i: usize, column: &str) -> Result<T, Error> {
        let f = self.field(i, column)?;
        f.parse().map_err(|_| {
            self.error(format!(
                "column {} ({column}): «{f}» is not a number",
                i + 1
            ))
        })
    }
}

/// The text of the built-in file `name`.
pub(crate) fn builtin(name: &str) -> &'static str {
    BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, t)| *t)
}

/// The rows of the data file `name`: built-in rows, then the user's (unless the user's file
/// replaces the built-in one). When `key` is given, a later row with the same value in that
/// column replaces the earlier one in place, so a user's row overrides a built-in row.
pub(crate) fn rows<'a>(files: &'a DataFiles, name: &'a str, key: Option<usize>) -> Vec<Row<'a>> {
    let builtin = builtin(name);
    let mut out: Vec<Row<'a>> = Vec::new();
    let mut at: HashMap<&'a str, usize> = HashMap::default();
    for text in files.texts(name, builtin) {
        let user = !std::ptr::eq(text.text, builtin);
        for (line, fields) in tsv_rows(text.text) {
            let row = Row {
                origin: name,
                user,
                line,
                fields,
            };
            match key.and_then(|k| row.fields.get(k).copied()) {
                Some(k) => match at.get(k) {
                    Some(&i) => out[i] = row,
                    None => {
                        at.insert(k, out.len());
                        out.push(row);
                    }
                },
                None => out.push(row),
            }
        }
    }
    out
}
