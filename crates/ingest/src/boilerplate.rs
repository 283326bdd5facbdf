//! The page furniture list (`data/ingest/boilerplate.tsv`) the HTML reader drops.

use rasd_core::{data::tsv_rows, DataFiles};

use crate::Error;

/// The data file's name under `data/`.
pub const BOILERPLATE_FILE: &str = "ingest/boilerplate.tsv";
const BUILTIN: &str = include_str!("../../../data/ingest/boilerplate.tsv");

/// Headings, prefixes and class words that mark page furniture (see [`crate::html`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Boilerplate {
    headings: Vec<String>,
    prefixes: Vec<String>,
    classes: Vec<String>,
}

fn key(text: &str) -> String {
    rasd_arabic::normalize_key(text).to_lowercase()
}

impl Boilerplate {
    /// The built-in list.
    ///
    /// # Panics
    /// Never for the shipped file: a test reads it with [`Boilerplate::load`].
    pub fn builtin() -> Boilerplate {
        Boilerplate::parse(BUILTIN, "data/ingest/boilerplate.tsv").unwrap_or_default()
    }

    /// The built-in list extended or replaced by a user's file of the same name.
    ///
    /// # Errors
    /// [`Error::Data`] naming `file:line` for a row that is not `kind<TAB>value` with a known
    /// kind.
    pub fn load(data: &DataFiles) -> Result<Boilerplate, Error> {
        let mut out = Boilerplate::default();
        for t in data.texts(BOILERPLATE_FILE, BUILTIN) {
            let part = Boilerplate::parse(t.text, t.origin)?;
            out.headings.extend(part.headings);
            out.prefixes.extend(part.prefixes);
            out.classes.extend(part.classes);
        }
        for list in [&mut out.headings, &mut out.prefixes, &mut out.classes] {
            list.sort();
            list.dedup();
        }
        Ok(out)
    }

    fn parse(text: &str, origin: &str) -> Result<Boilerplate, Error> {
        let mut out = Boilerplate::default();
        for (line, fields) in tsv_rows(text) {
            if fields.first().is_some_and(|f| f.starts_with("#!")) {
                continue;
            }
            let bad = |message: &str| Error::Data {
                origin: origin.to_string(),
                line,
                message: message.to_string(),
            };
            let [kind, value] = fields.as_slice() else {
                return Err(bad("expected two columns: kind<TAB>value"));
            };
            if value.is_empty() {
                return Err(bad("empty value"));
            }
            match *kind {
                "heading" => out.headings.push(key(value)),
                "prefix" => out.prefixes.push(key(value)),
                "class" => out.classes.push(value.to_lowercase()),
                _ => return Err(bad("kind must be heading, prefix or class")),
            }
        }
        Ok(out)
    }

    /// True when a block's whole text opens a related-links or comments section.
    pub fn is_section_heading(&self, text: &str) -> bool {
        let k = key(text);
        let k = k.trim_end_matches([':', '.', '-', ' ']);
        self.headings.iter().any(|h| h == k)
    }

    /// True when a short block starts with a «read also» prefix.
    pub fn starts_with_prefix(&self, text: &str) -> bool {
        let k = key(text);
        self.prefixes.iter().any(|p| k.starts_with(p.as_str()))
    }

    /// True when a `class` or `id` value has a furniture word (`share-buttons` has `share`).
    pub fn is_furniture_class(&self, value: &str) -> bool {
        let lower = value.to_lowercase();
        lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .any(|w| self.classes.iter().any(|c| c == w))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_loads_and_is_sorted_and_unique() {
        let rows: Vec<(String, String)> = tsv_rows(BUILTIN)
            .map(|(_, f)| (f[0].to_string(), f[1].to_string()))
            .collect();
        let mut sorted = rows.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(rows, sorted, "rows sorted by kind then value, unique");
        assert!(BUILTIN.starts_with('#'));
        let b = Boilerplate::load(&DataFiles::new()).unwrap();
        assert!(b.is_section_heading("مقالاتٌ ذات صلة:"));
        assert!(b.starts_with_prefix("إقرأ ايضاً: خبر"));
        assert!(b.is_furniture_class("post share-buttons"));
        assert!(!b.is_furniture_class("article-body"));
    }

    #[test]
    fn a_user_file_extends_the_list_and_bad_rows_name_their_line() {
        let mut data = DataFiles::new();
        data.add_override(BOILERPLATE_FILE, "# mine\nclass\tpromobox\n");
        assert!(Boilerplate::load(&data)
            .unwrap()
            .is_furniture_class("top promobox"));
        data.add_override(BOILERPLATE_FILE, "# mine\nclass\tx\nwidget\n");
        let err = Boilerplate::load(&data).unwrap_err().to_string();
        assert!(err.contains("ingest/boilerplate.tsv:3"), "{err}");
    }
}
