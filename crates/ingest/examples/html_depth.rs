//! How long the HTML reader takes on pages nested ever deeper (issue 15, defects 1 and 2):
//! parsing and extraction are timed apart, for nesting depths from 1,000 to 100,000.
//!
//! `cargo run --release -p rasd-ingest --example html_depth [DEPTH...]`
//!
//! On the 2-core development machine (release build), before and after issue 15: the old
//! recursive walker took 0.50 s at 5,000 levels and 2.04 s at 10,000 (quadratic), and aborted
//! the process with a stack overflow at 20,000; now 500 levels are read in 0.001 s and deeper
//! pages are refused in time linear in their size: 0.009 s at 20,000 levels, 0.047 s at
//! 100,000, 0.37 s at 1,000,000 (11 MB).

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
