//! Loading this crate's data files (`data/arabic/*.tsv`), built in or overridden.

use crate::Error;
use rasd_core::{data::tsv_rows, DataFiles};

/// The built-in data files of this crate: `(name, text)`, where `name` is the relative name a
/// user's `--data DIR` file must have to extend or replace it.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "arabic/months.tsv",
        include_str!("../../../data/arabic/months.tsv"),
    ),
    (
        "arabic/not_quantity.tsv",
        include_str!("../../../data/arabic/not_quantity.tsv"),
    ),
    (
        "arabic/number_words.tsv",
        include_str!("../../../data/arabic/number_words.tsv"),
    ),
    (
        "arabic/ordinal_days.tsv",
        include_str!("../../../data/arabic/ordinal_days.tsv"),
    ),
    (
        "arabic/proclitics.tsv",
        include_str!("../../../data/arabic/proclitics.tsv"),
    ),
    (
        "arabic/quantity_modifiers.tsv",
        include_str!("../../../data/arabic/quantity_modifiers.tsv"),
    ),
    (
        "arabic/relative_dates.tsv",
        include_str!("../../../data/arabic/relative_dates.tsv"),
    ),
    (
        "arabic/vague_quantities.tsv",
        include_str!("../../../data/arabic/vague_quantities.tsv"),
    ),
    (
        "arabic/weekdays.tsv",
        include_str!("../../../data/arabic/weekdays.tsv"),
    ),
];

/// One data row: where it came from and its fields.
pub(crate) struct Row<'a> {
    pub origin: std::rc::Rc<str>,
    pub line: usize,
    pub fields: Vec<&'a str>,
}

impl Row<'_> {
    /// An error naming this row.
    pub(crate) fn error(&self, message: impl Into<String>) -> Error {
        Error::Data {
            origin: self.origin.to_string(),
            line: self.line,
            message: message.into(),
        }
    }

    /// Field `i`, or an error naming the column.
    pub(crate) fn field(&self, i: usize, column: &str) -> Result<&str, Error> {
        match self.fields.get(i) {
            Some(f) if !f.is_empty() => Ok(f),
            _ => Err(self.error(format!("missing column {} ({column})", i + 1))),
        }
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

/// The rows of the data file `name` (built-in rows first, then a user's, unless replaced).
pub(crate) fn rows<'a>(files: &'a DataFiles, name: &'a str) -> Vec<Row<'a>> {
    let builtin = BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, t)| *t);
    let mut out = Vec::new();
    for text in files.texts(name, builtin) {
        let origin = if std::ptr::eq(text.text, builtin) {
            format!("data/{name}")
        } else {
            format!("{} (user data)", text.origin)
        };
        let origin: std::rc::Rc<str> = origin.into();
        for (line, fields) in tsv_rows(text.text) {
            out.push(Row {
                origin: origin.clone(),
                line,
                fields,
            });
        }
    }
    out
}
