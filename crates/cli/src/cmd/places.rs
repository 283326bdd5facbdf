//! `rasd places`: the gazetteer's candidates for a name, as a table or JSON lines.

use std::io::Write;

use crate::{Context, Outcome};

/// Arguments of `rasd places`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A place name as written («نوى», «بصرى الشام», «ريف درعا الغربي»); proclitics are allowed.
    #[arg(value_name = "NAME", required = true, num_args = 1..)]
    pub name: Vec<String>,
    /// Print one JSON object a line instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs `rasd places`.
///
/// # Errors
/// When the gazetteer cannot be loaded or standard output is closed.
pub fn run(context: &Context, args: Args) -> anyhow::Result<Outcome> {
    let gazetteer = context.analyzer()?.gazetteer();
    let name = args.name.join(" ");
    let places = gazetteer.lookup(&name);
    let mut out = std::io::stdout().lock();
    if places.is_empty() {
        eprintln!("rasd: no place is named «{}»", crate::term::inert(&name));
        return Ok(Outcome::SomeInputsFailed);
    }
    if args.json {
        for place in &places {
            writeln!(out, "{}", serde_json::to_string(place)?)?;
        }
    } else {
        // The gazetteer's tab-separated table, laid out by display width.
        let tsv = rasd_gazetteer::places_table(&places);
        let mut lines = tsv
            .lines()
            .map(|l| l.split('\t').map(str::to_string).collect::<Vec<_>>());
        let header = lines.next().unwrap_or_default();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let rows: Vec<Vec<String>> = lines.collect();
        write!(out, "{}", rasd_export::text_table(&header, &rows, None))?;
    }
    Ok(Outcome::Success)
}
