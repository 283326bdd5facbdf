//! Charts: the SVG's structure, and the PNG's Arabic shaped (joined) and laid right to left.
//!
//! The PNG tests need a system font that draws Arabic. Without one they check the error
//! instead, unless `RASD_REQUIRE_FONTS=1` (set in CI), where a missing font fails them.
#![allow(clippy::unwrap_used)] // Tests may unwrap.

mod common;

use rasd_export::chart::{render_png, render_svg, write_chart, ChartOptions};
use rasd_export::{ok_events, Error, Stats, StatsOptions};
use resvg::tiny_skia::Pixmap;
use resvg::usvg::roxmltree;

fn sample_stats() -> Stats {
    Stats::from_events(ok_events(common::sample()), StatsOptions::default()).unwrap()
}

/// PNG bytes, or `None` when no Arabic font is installed and CI does not require one.
fn png_or_skip(svg: &str, scale: f32) -> Option<Vec<u8>> {
    match render_png(svg, scale) {
        Ok(png) => Some(png),
        Err(Error::NoArabicFont { faces }) => {
            assert!(
                std::env::var("RASD_REQUIRE_FONTS").as_deref() != Ok("1"),
                "RASD_REQUIRE_FONTS=1 but none of {faces} font faces draws Arabic"
            );
            let message = Error::NoArabicFont { faces }.to_string();
            assert!(message.contains("fonts-noto-core"), "{message}");
            eprintln!("skipping PNG checks: no Arabic-capable font installed");
            None
        }
        Err(other) => panic!("{other}"),
    }
}

#[test]
fn svg_is_well_formed_with_a_bar_per_month_and_type() {
    let stats = sample_stats();
    let svg = render_svg(&stats, &ChartOptions::default());
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").to_string())
        .collect();
    for label in [
        "2024-11",
        "2024-12",
        "2025-01",
        "Battles",
        "Strategic developments",
        "Dar'a",
    ] {
        assert!(
            texts.iter().any(|t| t == label),
            "no label {label}: {texts:?}"
        );
    }
    let bars = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && n.children().any(|c| c.has_tag_name("title")))
        .count();
    assert_eq!(bars, 5, "one stacked segment per month and event type");
    let arabic: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text") && n.attribute("direction") == Some("rtl"))
        .collect();
    assert_eq!(arabic.len(), 5, "one Arabic name per governorate");
    assert!(arabic.iter().any(|n| n.text() == Some("ريف دمشق")));
    assert!(arabic
        .iter()
        .all(|n| n.attribute("text-anchor") == Some("middle")
            && n.attribute("unicode-bidi") == Some("embed")));
}

#[test]
fn chart_format_follows_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    let stats = sample_stats();
    let svg = dir.path().join("c.svg");
    write_chart(&stats, &svg, &ChartOptions::default()).unwrap();
    assert!(std::fs::read_to_string(&svg).unwrap().starts_with("<svg"));
    let err = write_chart(&stats, &dir.path().join("c.jpg"), &ChartOptions::default()).unwrap_err();
    assert!(err.to_string().contains("a .svg or .png file"), "{err}");
}

#[test]
fn png_has_the_svg_size_times_the_scale() {
    let svg = render_svg(&sample_stats(), &ChartOptions::default());
    let Some(png) = png_or_skip(&svg, 1.5) else {
        return;
    };
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    let pixmap = Pixmap::decode_png(&png).unwrap();
    assert_eq!(pixmap.width(), 1440);
}

/// Renders one line of text big and returns the pixmap.
fn render_word(text: &str) -> Option<Pixmap> {
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"160\">\
         <rect width=\"400\" height=\"160\" fill=\"#fff\"/>\
         <text x=\"200\" y=\"110\" font-size=\"96\" text-anchor=\"middle\" direction=\"rtl\" \
         font-family=\"Noto Sans Arabic, DejaVu Sans, sans-serif\">{text}</text></svg>"
    );
    png_or_skip(&svg, 1.0).map(|png| Pixmap::decode_png(&png).unwrap())
}

fn ink(p: &Pixmap) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    for y in 0..p.height() {
        for x in 0..p.width() {
            let px = p.pixel(x, y).unwrap();
            if px.red() < 128 {
                out.push((x, y));
            }
        }
    }
    out
}

#[test]
fn arabic_letters_are_joined() {
    let (Some(joined), Some(apart)) = (render_word("حلب"), render_word("ح\u{200C}ل\u{200C}ب"))
    else {
        return;
    };
    let width = |p: &Pixmap| {
        let xs: Vec<u32> = ink(p).iter().map(|(x, _)| *x).collect();
        xs.iter().max().unwrap() - xs.iter().min().unwrap()
    };
    assert!(!ink(&joined).is_empty());
    assert!(
        width(&joined) < width(&apart),
        "joined forms are narrower than isolated ones: {} vs {}",
        width(&joined),
        width(&apart)
    );
}

#[test]
fn arabic_runs_right_to_left() {
    // «با»: ba then alef. Right to left, the tall alef stands at the left end.
    let Some(word) = render_word("با") else {
        return;
    };
    let points = ink(&word);
    let min_x = points.iter().map(|p| p.0).min().unwrap();
    let max_x = points.iter().map(|p| p.0).max().unwrap();
    let top = points.iter().min_by_key(|p| p.1).unwrap();
    assert!(
        top.0 < (min_x + max_x) / 2,
        "the alef (highest ink at x={}) should be left of the middle of {min_x}..{max_x}",
        top.0
    );
}

/// Issue 15: the chart spanned up to 1,200 months from the earliest date, so one stray old
/// date pushed all the data off it. It shows the stretch that holds the data, and says what
/// it left out.
#[test]
fn issue_15_a_stray_old_date_is_left_out_with_a_note() {
    let mut events = common::sample();
    let mut stray = common::base("stray", rasd_core::SubEventType::ArmedClash, 99);
    stray.date = chrono::NaiveDate::from_ymd_opt(1903, 5, 1);
    events.push(stray);
    let stats = Stats::from_events(ok_events(events), StatsOptions::default()).unwrap();
    let svg = render_svg(&stats, &ChartOptions::default());
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").to_string())
        .collect();
    for label in ["2024-11", "2024-12", "2025-01"] {
        assert!(
            texts.iter().any(|t| t == label),
            "no label {label}: {texts:?}"
        );
    }
    assert!(
        !texts
            .iter()
            .any(|t| t.starts_with("1903") || t.starts_with("1950")),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.contains("1 far from the rest (1903-05) left out")),
        "{texts:?}"
    );
}
