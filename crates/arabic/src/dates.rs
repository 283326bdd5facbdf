//! Month names, shared by the number parser (a number next to a month is a date).

use crate::data::rows;
use crate::phrases::Phrases;
use crate::{normalize_key, Error};
use rasd_core::DataFiles;

/// Month names from `arabic/months.tsv`: phrase → (month 1-12, needs context).
pub(crate) fn load_months(files: &DataFiles) -> Result<Phrases<(u32, bool)>, Error> {
    let mut months = Phrases::default();
    for row in rows(files, "arabic/months.tsv") {
        let form = normalize_key(row.field(0, "form")?);
        let month: u32 = row.number(1, "month")?;
        if !(1..=12).contains(&month) {
            return Err(row.error(format!("month {month} is not in 1..=12")));
        }
        let needs = match row.field(2, "context")? {
            "free" => false,
            "needs" => true,
            other => return Err(row.error(format!("context must be free or needs, not «{other}»"))),
        };
        months.insert(form, (month, needs));
    }
    Ok(months)
}
