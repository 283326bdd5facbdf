//! Ingest throughput and memory: generates N reports (default 100,000) of our own templated
//! Arabic, ingests them into a fresh database file with the real analyzer (`rasd-extract`),
//! and prints reports/s and the peak resident memory (VmHWM).
//!
//! ```text
//! cargo run --release -p rasd-ingest --example ingest_bench -- [N] [--no-analyzer] [--db PATH] [--batch REPORTS]
//! cargo run --release -p rasd-ingest --example ingest_bench -- [N] --analyze-only
//! ```
//!
//! About 4% of the reports repeat an earlier one exactly and 4% are lightly edited copies, as
//! wire stories are. `--no-analyzer` measures reading, dedup, near-duplicate linking and the
//! store alone.
#![allow(clippy::unwrap_used)]

use std::time::Instant;

use rasd_core::{Document, Published};
use rasd_ingest::{ingest, IngestOptions};
use rasd_store::{RunInfo, SqliteStore, Store};

const PLACES: &[&str] = &[
    "درعا",
    "طفس",
    "جاسم",
    "نوى",
    "إدلب",
    "سراقب",
    "أريحا",
    "حلب",
    "منبج",
    "الباب",
    "حمص",
    "تدمر",
    "حماة",
    "السلمية",
    "دير الزور",
    "الميادين",
    "البوكمال",
    "الرقة",
    "السويداء",
    "القنيطرة",
    "اللاذقية",
    "جبلة",
    "طرطوس",
    "دوما",
];

const TEMPLATES: &[&str] = &[
    "قصفت قوات النظام بالمدفعية الثقيلة أطراف {place} صباح {day}، ما أدى إلى مقتل {n} مدنيين وإصابة آخرين، بحسب ما أفاد مراسل محلي في المنطقة رقم {i}.",
    "اندلعت اشتباكات عنيفة بين فصائل محلية وقوات الأمن في محيط {place} مساء {day}، وأسفرت عن سقوط {n} قتلى من الطرفين وفق مصادر محلية (الحي {i}).",
    "اعتقلت دورية أمنية {n} شبان خلال حملة دهم في {place} يوم {day}، واقتادتهم إلى جهة مجهولة، بحسب ناشطين من أبناء المنطقة {i}.",
    "تظاهر العشرات في ساحة {place} يوم {day} للمطالبة بالإفراج عن المعتقلين وتحسين الخدمات، ورفع المحتجون لافتات كتب عليها رقم {i}.",
    "انفجرت عبوة ناسفة بسيارة عسكرية على الطريق المؤدي إلى {place} يوم {day}، ما أدى إلى مقتل {n} عناصر، وفق ما نقلت شبكة محلية عن مصدر رقم {i}.",
    "شنت طائرة مسيرة غارة على موقع عسكري قرب {place} يوم {day}، وأفادت مصادر بمقتل {n} مقاتلين وتدمير آلية، في الضربة رقم {i} هذا العام.",
];

/// Background sentences are put together from four slots of ten phrases each, so that two
/// reports share few word shingles unless one copies the other.
const SLOTS: [&[&str]; 4] = [
    &[
        "وقال ناشط محلي",
        "وأكد مصدر طبي",
        "وذكر أحد السكان",
        "وأفاد مراسل الشبكة",
        "وأشار وجيه عشائري",
        "وقالت مصادر أهلية",
        "وأوضح عضو في لجنة المصالحة",
        "وبين مدرس من أبناء البلدة",
        "وأضاف سائق أجرة",
        "وروى شاهد عيان",
    ],
    &[
        "أن الأهالي يخشون",
        "أن التوتر يتصاعد",
        "أن الطرق أغلقت",
        "أن الأسعار ارتفعت",
        "أن التعزيزات وصلت",
        "أن المدارس علقت الدوام",
        "أن الكهرباء انقطعت",
        "أن الحواجز تضاعفت",
        "أن الدوريات انتشرت",
        "أن الاتصالات قطعت",
    ],
    &[
        "منذ ساعات الصباح",
        "خلال الأيام الأخيرة",
        "مع حلول المساء",
        "في الأحياء الشرقية",
        "على مداخل المدينة",
        "قرب السوق الرئيسي",
        "في محيط المدارس",
        "على الطريق الدولي",
        "بين القرى المجاورة",
        "في المخيمات القريبة",
    ],
    &[
        "وسط صمت رسمي",
        "دون أي توضيح",
        "رغم الوعود السابقة",
        "بحسب شهادات متطابقة",
        "وفق تسجيلات مصورة",
        "كما جرى العام الماضي",
        "في ظل غياب الخدمات",
        "مع تزايد المخاوف",
        "بعد اجتماع لم يثمر",
        "قبل وصول الوسطاء",
    ],
];

const DAYS: &[&str] = &[
    "السبت",
    "الأحد",
    "الاثنين",
    "الثلاثاء",
    "الأربعاء",
    "الخميس",
    "الجمعة",
];

fn report(i: usize) -> Document {
    // Every 25th report repeats an earlier one exactly; every 25th (offset) is an edited copy.
    let (base, edited) = match i % 25 {
        7 if i >= 25 => (i - 20, false),
        13 if i >= 25 => (i - 10, true),
        _ => (i, false),
    };
    let mut text = TEMPLATES[base % TEMPLATES.len()]
        .replace("{place}", PLACES[(base / 7) % PLACES.len()])
        .replace("{day}", DAYS[base % DAYS.len()])
        .replace("{n}", &(2 + base % 9).to_string())
        .replace("{i}", &base.to_string());
    let mut h = (base as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x5241_5344;
    for _ in 0..3 {
        for slot in SLOTS {
            h = h
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            text.push(' ');
            text.push_str(slot[(h >> 33) as usize % slot.len()]);
        }
        text.push('.');
    }
    if edited {
        text.push_str(" ونقلت الخبر مواقع عدة.");
    }
    let day = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap()
        + chrono::Days::new((base / 150) as u64);
    Document::new(format!("gen-{i:06}.txt"), text)
        .with_published(Some(Published::Date(day)))
        .with_source(Some(format!("outlet-{}", i % 40)))
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // The report count is the first number that is not an option's value.
    let n: usize = (0..args.len())
        .filter(|&k| k == 0 || !matches!(args[k - 1].as_str(), "--db" | "--batch"))
        .find_map(|k| args[k].parse().ok())
        .unwrap_or(100_000);
    let use_analyzer = !args.iter().any(|a| a == "--no-analyzer");
    let dir = tempfile::tempdir().unwrap();
    let db = args
        .iter()
        .position(|a| a == "--db")
        .and_then(|k| args.get(k + 1))
        .map_or_else(|| dir.path().join("bench.db"), std::path::PathBuf::from);
    let analyzer = rasd_extract::Analyzer::new().unwrap();
    // Warm the analyzer's lazy data before timing.
    let _ = analyzer.analyze(&report(0));
    if args.iter().any(|a| a == "--analyze-only") {
        let start = Instant::now();
        let events: usize = (0..n)
            .map(|i| analyzer.analyze(&report(i)).events.len())
            .sum();
        let secs = start.elapsed().as_secs_f64();
        println!(
            "analyzer alone: {n} reports, {events} events, {:.0} reports/s",
            n as f64 / secs
        );
        return;
    }
    let batch = args
        .iter()
        .position(|a| a == "--batch")
        .and_then(|k| args.get(k + 1))
        .and_then(|b| b.parse().ok())
        .unwrap_or(IngestOptions::default().batch_reports);
    let mut store = SqliteStore::open(&db).unwrap();
    let docs = (0..n).map(|i| Ok(report(i)));
    let start = Instant::now();
    let mut last = Instant::now();
    let summary = ingest(
        &mut store,
        docs,
        &|doc, normalized| {
            if use_analyzer {
                analyzer.analyze_normalized(doc, normalized).events
            } else {
                Vec::new()
            }
        },
        &RunInfo::new(["generated"]),
        IngestOptions {
            batch_reports: batch,
            ..IngestOptions::default()
        },
        &mut |_, t| {
            if last.elapsed().as_secs() >= 10 {
                eprintln!(
                    "  {} reports, {:.0}/s, peak RSS {:.0} MB",
                    t.read,
                    t.read as f64 / start.elapsed().as_secs_f64(),
                    peak_rss_mb()
                );
                last = Instant::now();
            }
        },
    )
    .unwrap();
    let secs = start.elapsed().as_secs_f64();
    let counts = store.counts().unwrap();
    let t = &summary.totals;
    println!(
        "reports        {n} ({} new, {} duplicate, {} near-duplicate)",
        t.new, t.duplicates, t.near_duplicates
    );
    println!(
        "analyzer       {}",
        if use_analyzer {
            "rasd-extract"
        } else {
            "none (store path only)"
        }
    );
    println!(
        "report events  {} -> dataset events {}",
        counts.report_events, counts.dataset_events
    );
    println!("time           {secs:.1} s");
    println!("throughput     {:.0} reports/s", n as f64 / secs);
    println!("peak RSS       {:.0} MB (VmHWM)", peak_rss_mb());
    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    println!("database       {:.0} MB", size as f64 / 1e6);
}
