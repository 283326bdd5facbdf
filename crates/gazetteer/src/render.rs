//! Text renderings for the CLI: `rasd places QUERY` (a table) and `rasd explain` (one line
//! per place mention). JSON lines come from [`Place`]'s `Serialize`.

use crate::{Gazetteer, Place, PlaceMention};

/// The admin path of a place, most specific first («Nawa, Izra', Dar'a»), or `-`.
fn admin_path(p: &Place) -> String {
    let parts: Vec<&str> = [&p.admin3, &p.admin2, &p.admin1]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    if parts.is_empty() {
        "-".to_string()
    } else {
        parts.join(", ")
    }
}

/// The places as a tab-separated table with a header row, for `rasd places QUERY`:
/// `key kind name_ar name_en admin latitude longitude rank`.
///
/// # Examples
/// ```
/// use rasd_gazetteer::{places_table, Gazetteer};
/// let gaz = Gazetteer::builtin().unwrap();
/// let table = places_table(&gaz.lookup("نمر"));
/// assert!(table.lines().nth(1).unwrap().starts_with("C6112\tcommunity\tنمر\tNimer\tJasim, Izra', Dar'a"));
/// ```
pub fn places_table(places: &[&Place]) -> String {
    let mut out = String::from("key\tkind\tname_ar\tname_en\tadmin\tlatitude\tlongitude\trank\n");
    for p in places {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{:.4}\t{:.4}\t{}\n",
            p.key,
            p.kind,
            p.name_ar,
            p.name_en,
            admin_path(p),
            p.latitude,
            p.longitude,
            p.rank
        ));
    }
    out
}

impl Gazetteer {
    /// One line saying which place a mention got and why, for `rasd explain`:
    /// `«name» start..end -> name_en [key, kind; admin] lat,lon precision N (cue «...»): reason; also: ...`.
    ///
    /// # Examples
    /// ```
    /// use rasd_gazetteer::Gazetteer;
    /// let gaz = Gazetteer::builtin().unwrap();
    /// let text = "قصف قرب بلدة نمر";
    /// let found = gaz.find(text, &rasd_arabic::normalize(text));
    /// let line = gaz.explain(text, &found[0]);
    /// assert!(line.starts_with("«نمر» "), "{line}");
    /// assert!(line.contains("-> Nimer [C6112, community; Jasim, Izra', Dar'a] 33.0150,36.0239 precision 2"), "{line}");
    /// ```
    pub fn explain(&self, original: &str, m: &PlaceMention) -> String {
        let p = self.place(m.place);
        let text = original.get(m.span.start..m.span.end).unwrap_or("?");
        let mut line = format!(
            "«{text}» {} -> {} [{}, {}; {}] {:.4},{:.4} precision {}",
            m.span,
            p.name_en,
            p.key,
            p.kind,
            admin_path(p),
            p.latitude,
            p.longitude,
            m.geo_precision.code()
        );
        if let Some(cue) = &m.cue {
            line.push_str(&format!(" (cue «{cue}»)"));
        }
        line.push_str(": ");
        line.push_str(&m.reason);
        if !m.alternatives.is_empty() {
            let alts: Vec<String> = m
                .alternatives
                .iter()
                .map(|&id| {
                    let a = self.place(id);
                    format!("{} ({})", a.key, a.admin1.as_deref().unwrap_or("-"))
                })
                .collect();
            line.push_str(&format!("; also: {}", alts.join(", ")));
        }
        line
    }
}
