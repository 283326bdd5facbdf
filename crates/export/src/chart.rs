//! Charts of the statistics: events per month stacked by event type, and events per
//! governorate with its English and Arabic names.
//!
//! [`render_svg`] lays the chart out by hand as SVG 1.1 text elements with real Unicode, so any
//! viewer shapes the Arabic and orders it right to left; the Arabic labels carry
//! `direction="rtl"`, `unicode-bidi="embed"` and `xml:lang="ar"` and are anchored at their middle,
//! which places them the same way whether or not a viewer honours `direction`.
//! [`render_png`] rasterizes that SVG with resvg (Arabic shaped by rustybuzz, bidi-ordered)
//! using the system's fonts, and refuses with [`Error::NoArabicFont`] when no installed font
//! can draw Arabic (Debian: `fonts-noto-core` or `fonts-dejavu-core`).
//!
//! ```
//! use rasd_export::{chart, Stats};
//! let svg = chart::render_svg(&Stats::default(), &chart::ChartOptions::default());
//! assert!(svg.starts_with("<svg") && svg.contains("No dated events"));
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rasd_core::EventType;

use crate::{Error, Stats};

/// Options of the chart.
#[derive(Clone, Debug)]
pub struct ChartOptions {
    /// The title above the chart.
    pub title: String,
    /// Width in SVG user units (pixels at scale 1); at least 480.
    pub width: u32,
    /// PNG pixels per SVG unit.
    pub png_scale: f32,
}

impl Default for ChartOptions {
    fn default() -> ChartOptions {
        ChartOptions {
            title: "Events per month by event type".to_string(),
            width: 960,
            png_scale: 2.0,
        }
    }
}

/// The chart file formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartFormat {
    /// SVG text.
    Svg,
    /// PNG image rendered from the SVG.
    Png,
}

impl ChartFormat {
    /// The format named by a file's extension (`.svg` or `.png`, any case).
    ///
    /// # Errors
    /// [`Error::UnknownFormat`] for any other extension.
    pub fn from_path(path: &Path) -> Result<ChartFormat, Error> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        match ext.as_str() {
            "svg" => Ok(ChartFormat::Svg),
            "png" => Ok(ChartFormat::Png),
            _ => Err(Error::UnknownFormat(
                path.display().to_string(),
                "a .svg or .png file",
            )),
        }
    }
}

/// The colour of each event type (Okabe–Ito palette, readable by colour-blind people).
pub fn event_type_colour(t: EventType) -> &'static str {
    match t {
        EventType::Battles => "#D55E00",
        EventType::ExplosionsRemoteViolence => "#E69F00",
        EventType::ViolenceAgainstCivilians => "#CC79A7",
        EventType::Protests => "#56B4E9",
        EventType::Riots => "#009E73",
        EventType::StrategicDevelopments => "#0072B2",
    }
}

const LATIN_FONTS: &str = "DejaVu Sans, Noto Sans, Arial, sans-serif";
/// Letters a font must draw to count as Arabic-capable.
#[cfg(feature = "png")]
const ARABIC_PROBE: &str = "حلبد";
const ARABIC_FONTS: &str = "Noto Sans Arabic, Noto Naskh Arabic, DejaVu Sans, Arial, sans-serif";

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// How many months without events split the data into separate stretches: a stretch further
/// than this from the rest is an outlier (a stray old date, a typo'd year).
pub const OUTLIER_GAP_MONTHS: i32 = 24;

/// The most months a chart draws (a hundred years).
const MAX_MONTHS: i32 = 1200;

/// The months a chart shows: every month of the stretch of the data that holds the most
/// events, gaps filled, where stretches are separated by more than [`OUTLIER_GAP_MONTHS`]
/// empty months. Also the events of the months left out, and those months' first and last.
struct MonthRange {
    months: Vec<String>,
    left_out: u64,
    outliers: Option<(String, String)>,
}

fn month_range(by_month: &BTreeMap<String, BTreeMap<EventType, u64>>) -> MonthRange {
    let index = |m: &str| {
        NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d")
            .ok()
            .map(|d| d.year() * 12 + d.month0() as i32)
    };
    // Stretches of months with events, as (first index, last index, events).
    let mut stretches: Vec<(i32, i32, u64)> = Vec::new();
    for (month, types) in by_month {
        let Some(i) = index(month) else { continue };
        let events: u64 = types.values().sum();
        match stretches.last_mut() {
            Some(last) if i - last.1 <= OUTLIER_GAP_MONTHS + 1 => {
                last.1 = i;
                last.2 += events;
            }
            _ => stretches.push((i, i, events)),
        }
    }
    let Some(&(first, last, _)) = stretches
        .iter()
        .max_by_key(|(first, last, events)| (*events, last - first, std::cmp::Reverse(*first)))
    else {
        return MonthRange {
            months: Vec::new(),
            left_out: 0,
            outliers: None,
        };
    };
    let name = |i: i32| format!("{:04}-{:02}", i.div_euclid(12), i.rem_euclid(12) + 1);
    // A stretch longer than the chart can draw keeps its latest months.
    let shown_from = first.max(last - (MAX_MONTHS - 1));
    let mut left_out = 0;
    let mut outlier_months: Vec<i32> = Vec::new();
    for (month, types) in by_month {
        let Some(i) = index(month) else { continue };
        if i < shown_from || i > last {
            left_out += types.values().sum::<u64>();
            outlier_months.push(i);
        }
    }
    MonthRange {
        months: (shown_from..=last).map(name).collect(),
        left_out,
        outliers: match (outlier_months.first(), outlier_months.last()) {
            (Some(&a), Some(&b)) => Some((name(a), name(b))),
            _ => None,
        },
    }
}

/// The smallest 1, 2 or 5 × 10^k that is at least `n` (and at least 1).
fn nice_ceiling(n: u64) -> u64 {
    let mut step = 1u64;
    loop {
        for m in [1u64, 2, 5] {
            let v = step.saturating_mul(m);
            if v >= n.max(1) {
                return v;
            }
        }
        step = step.saturating_mul(10);
    }
}

/// The chart as SVG text (see the module docs).
pub fn render_svg(stats: &Stats, options: &ChartOptions) -> String {
    let width = options.width.max(480) as f64;
    let by_month = stats.month_by_type();
    let range = month_range(&by_month);
    let months = range.months;
    let governorates = stats.governorates();
    let undated: u64 = stats
        .months()
        .iter()
        .filter(|m| m.month.is_none())
        .map(|m| m.events)
        .sum();

    let left = 56.0;
    let right = 24.0;
    let plot_top = 96.0;
    let plot_h = 280.0;
    let plot_w = width - left - right;
    let axis_y = plot_top + plot_h;
    let legend_y = axis_y + 62.0;
    let gov_title_y = legend_y + 52.0;
    let row_h = 24.0;
    let gov_top = gov_title_y + 18.0;
    let height = gov_top + row_h * governorates.len().max(1) as f64 + 40.0;

    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" font-family=\"{LATIN_FONTS}\" font-size=\"12\">"
    );
    let _ = writeln!(
        s,
        "<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>"
    );
    let _ = writeln!(
        s,
        "<text x=\"{left}\" y=\"32\" font-size=\"20\" font-weight=\"bold\" fill=\"#222222\">{}</text>",
        escape(&options.title)
    );
    let span = match (months.first(), months.last()) {
        (Some(a), Some(b)) if a != b => format!(", {a} to {b}"),
        (Some(a), _) => format!(", {a}"),
        _ => String::new(),
    };
    let mut subtitle = format!("{} events{span}", stats.events);
    if undated > 0 {
        let _ = write!(subtitle, "; {undated} without a date not shown by month");
    }
    if let Some((a, b)) = &range.outliers {
        let when = if a == b {
            a.clone()
        } else {
            format!("{a} to {b}")
        };
        let _ = write!(
            subtitle,
            "; {} far from the rest ({when}) left out",
            range.left_out
        );
    }
    let _ = writeln!(
        s,
        "<text x=\"{left}\" y=\"54\" font-size=\"13\" fill=\"#555555\">{}</text>",
        escape(&subtitle)
    );

    let max_total = months
        .iter()
        .filter_map(|m| by_month.get(m))
        .map(|t| t.values().sum::<u64>())
        .max()
        .unwrap_or(0);
    let top = nice_ceiling(max_total);
    let y_of = |v: f64| axis_y - v / top as f64 * plot_h;
    // Grid and y ticks.
    let ticks = if top <= 5 { top } else { 5 };
    for i in 0..=ticks {
        let v = top as f64 * i as f64 / ticks.max(1) as f64;
        let y = y_of(v);
        let _ = writeln!(
            s,
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#e4e4e4\"/>",
            left + plot_w
        );
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#444444\">{}</text>",
            left - 6.0,
            y + 4.0,
            v.round() as u64
        );
    }
    let _ = writeln!(
        s,
        "<text transform=\"translate(16 {:.1}) rotate(-90)\" text-anchor=\"middle\" fill=\"#444444\">events</text>",
        plot_top + plot_h / 2.0
    );

    if months.is_empty() {
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"16\" fill=\"#777777\">No dated events</text>",
            left + plot_w / 2.0,
            plot_top + plot_h / 2.0
        );
    }
    let n = months.len().max(1) as f64;
    let slot = plot_w / n;
    let bar_w = (slot * 0.78).max(1.0);
    let label_every = (months.len() as f64 / 12.0).ceil().max(1.0) as usize;
    for (i, month) in months.iter().enumerate() {
        let x = left + slot * i as f64 + (slot - bar_w) / 2.0;
        let mut acc = 0u64;
        if let Some(types) = by_month.get(month) {
            for t in EventType::ALL {
                let v = types.get(t).copied().unwrap_or(0);
                if v == 0 {
                    continue;
                }
                let y1 = y_of((acc + v) as f64);
                let y0 = y_of(acc as f64);
                let _ = writeln!(
                    s,
                    "<rect x=\"{x:.1}\" y=\"{y1:.1}\" width=\"{bar_w:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{month} {}: {v}</title></rect>",
                    (y0 - y1).max(0.5),
                    event_type_colour(*t),
                    escape(t.as_str())
                );
                acc += v;
            }
        }
        if i % label_every == 0 {
            let cx = left + slot * i as f64 + slot / 2.0;
            let _ = writeln!(
                s,
                "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#444444\">{month}</text>",
                axis_y + 16.0
            );
        }
    }
    let _ = writeln!(
        s,
        "<line x1=\"{left}\" y1=\"{axis_y}\" x2=\"{:.1}\" y2=\"{axis_y}\" stroke=\"#333333\"/>",
        left + plot_w
    );

    // Legend: the six event types in two rows of three.
    for (i, t) in EventType::ALL.iter().enumerate() {
        let col = (i % 3) as f64;
        let row = (i / 3) as f64;
        let x = left + col * (plot_w / 3.0);
        let y = legend_y - 24.0 + row * 20.0;
        let _ = writeln!(
            s,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\" fill=\"{}\"/>\
             <text x=\"{:.1}\" y=\"{y:.1}\" fill=\"#222222\">{}</text>",
            y - 10.0,
            event_type_colour(*t),
            x + 18.0,
            escape(t.as_str())
        );
    }

    // Events per governorate, English and Arabic names.
    let _ = writeln!(
        s,
        "<text x=\"{left}\" y=\"{gov_title_y:.1}\" font-size=\"16\" font-weight=\"bold\" fill=\"#222222\">Events by governorate</text>"
    );
    let en_x = left;
    let ar_mid = left + 215.0;
    let bar_x = left + 290.0;
    let bar_max_w = (width - right - 50.0 - bar_x).max(40.0);
    let max_gov = governorates
        .iter()
        .map(|g| g.events)
        .max()
        .unwrap_or(0)
        .max(1);
    if governorates.is_empty() {
        let _ = writeln!(
            s,
            "<text x=\"{en_x}\" y=\"{:.1}\" fill=\"#777777\">No events</text>",
            gov_top + 16.0
        );
    }
    for (i, g) in governorates.iter().enumerate() {
        let y = gov_top + row_h * i as f64;
        let baseline = y + 16.0;
        let _ = writeln!(
            s,
            "<text x=\"{en_x}\" y=\"{baseline:.1}\" fill=\"#222222\">{}</text>",
            escape(&g.admin1)
        );
        if let Some(ar) = &g.admin1_ar {
            let _ = writeln!(
                s,
                "<text x=\"{ar_mid:.1}\" y=\"{baseline:.1}\" text-anchor=\"middle\" direction=\"rtl\" \
                 unicode-bidi=\"embed\" xml:lang=\"ar\" font-family=\"{ARABIC_FONTS}\" font-size=\"14\" \
                 fill=\"#222222\">{}</text>",
                escape(ar)
            );
        }
        let w = g.events as f64 / max_gov as f64 * bar_max_w;
        let _ = writeln!(
            s,
            "<rect x=\"{bar_x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#4d4d4d\"/>\
             <text x=\"{:.1}\" y=\"{baseline:.1}\" fill=\"#222222\">{}</text>",
            y + 4.0,
            w.max(1.0),
            row_h - 8.0,
            bar_x + w.max(1.0) + 6.0,
            g.events
        );
    }
    s.push_str("</svg>\n");
    s
}

/// A font database with the system's fonts, checked for one that draws Arabic.
#[cfg(feature = "png")]
fn system_fonts() -> Result<resvg::usvg::fontdb::Database, Error> {
    let mut db = resvg::usvg::fontdb::Database::new();
    db.load_system_fonts();
    let faces: Vec<_> = db
        .faces()
        .map(|f| (f.id, f.families.first().map(|(n, _)| n.clone())))
        .collect();
    let arabic = faces.iter().find_map(|(id, family)| {
        let draws = db
            .with_face_data(*id, |data, index| {
                ttf_parser::Face::parse(data, index)
                    .map(|face| ARABIC_PROBE.chars().all(|c| face.glyph_index(c).is_some()))
                    .unwrap_or(false)
            })
            .unwrap_or(false);
        if draws {
            family.clone()
        } else {
            None
        }
    });
    match arabic {
        Some(family) => {
            tracing::debug!(%family, "Arabic-capable font");
            db.set_sans_serif_family(family);
            Ok(db)
        }
        None => Err(Error::NoArabicFont { faces: faces.len() }),
    }
}

/// Rasterizes a chart's SVG to PNG bytes at `scale` pixels per unit, with system fonts.
///
/// # Errors
/// [`Error::NoArabicFont`] when no installed font draws Arabic; [`Error::Chart`] when the SVG
/// cannot be parsed or the image cannot be encoded.
#[cfg(feature = "png")]
pub fn render_png(svg: &str, scale: f32) -> Result<Vec<u8>, Error> {
    use resvg::{tiny_skia, usvg};
    let chart_err = |message: String| Error::Chart {
        target: "PNG".into(),
        message,
    };
    let fontdb = system_fonts()?;
    let options = usvg::Options {
        fontdb: std::sync::Arc::new(fontdb),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| chart_err(e.to_string()))?;
    let scale = if scale.is_finite() && scale > 0.0 {
        scale
    } else {
        1.0
    };
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or_else(|| chart_err("empty image".into()))?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or_else(|| {
        chart_err(format!(
            "cannot allocate {}×{} pixels",
            size.width(),
            size.height()
        ))
    })?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| chart_err(e.to_string()))
}

/// Writes the chart of `stats` to `path`, as SVG or PNG by its extension.
///
/// # Errors
/// An unknown extension, a rendering error (see [`render_png`]) or a write error.
pub fn write_chart(stats: &Stats, path: &Path, options: &ChartOptions) -> Result<(), Error> {
    let format = ChartFormat::from_path(path)?;
    let svg = render_svg(stats, options);
    let bytes = match format {
        ChartFormat::Svg => svg.into_bytes(),
        #[cfg(feature = "png")]
        ChartFormat::Png => render_png(&svg, options.png_scale)?,
        #[cfg(not(feature = "png"))]
        ChartFormat::Png => {
            return Err(Error::NotBuilt {
                what: "PNG charts (write .svg instead)",
                feature: "png",
            })
        }
    };
    std::fs::write(path, bytes).map_err(|e| Error::Chart {
        target: path.display().to_string(),
        message: e.to_string(),
    })
}
