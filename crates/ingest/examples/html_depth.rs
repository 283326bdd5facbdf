//! How long the HTML reader takes on pages nested ever deeper (issue 15, defects 1 and 2):
//! parsing and extraction are timed apart, for nesting depths from 1,000 to 100,000.
//!
//! `cargo run --release -p rasd-ingest --example html_depth`

use std::time::Instant;

use rasd_ingest::{html, Boilerplate};

fn main() {
    let boilerplate = Boilerplate::builtin();
    let depths: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let depths = if depths.is_empty() {
        vec![100, 500, 1_000, 5_000, 20_000, 100_000, 1_000_000]
    } else {
        depths
    };
    println!(
        "{:>8}  {:>10}  {:>12}  outcome",
        "depth", "bytes", "extract (s)"
    );
    for depth in depths {
        let page = format!(
            "{}<p>اشتباكات في البلدة</p>{}",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let start = Instant::now();
        let outcome = match html::extract(&page, &boilerplate) {
            Ok(p) => format!("{} bytes of text", p.text.len()),
            Err(e) => format!("refused: {e}"),
        };
        let secs = start.elapsed().as_secs_f64();
        println!("{depth:>8}  {:>10}  {secs:>12.3}  {outcome}", page.len());
    }
}
