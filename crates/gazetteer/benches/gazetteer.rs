//! Loading the built-in gazetteer, and finding places in a short and a long report of our own
//! (normalization included, as the analysis runs it).
//!
//! Run: `cargo bench -p rasd-gazetteer -- --warm-up-time 1 --measurement-time 3`.

#![allow(missing_docs)] // criterion_group! generates an undocumented function.

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use rasd_core::DataFiles;
use rasd_gazetteer::Gazetteer;

/// A short report written for this bench.
const SHORT: &str = "قصفت قوات النظام بلدة نمر شمال مدينة جاسم في ريف درعا الشمالي، \
وقتل شاب من أبناء مدينة نوى قرب سجن غرز.";

/// Paragraphs of our own, repeated into long reports.
const PARAGRAPHS: &[&str] = &[
    "أفادت مصادر محلية بأن اشتباكات عنيفة اندلعت فجر اليوم في محيط مدينة طفس بريف درعا الغربي، \
بين مجموعات محلية وعناصر تابعة للأمن العسكري، وامتدت إلى أطراف بلدة المزيريب واليادودة.",
    "وفي الريف الشرقي من المحافظة، انسحبت القوات من حاجز قرب بلدة الكرك الشرقي باتجاه مدينة إزرع، \
فيما سيطرت الفصائل على معبر نصيب الحدودي مع الأردن.",
    "وفي دمشق، تحدث ناشطون عن تحركات عسكرية في حي المزة وحي كفرسوسة، بينما نقلت وسائل إعلام \
عن مسؤولين في بيروت وعمان قلقهم من تطورات الجنوب السوري.",
    "وشهدت مدينة حلب ومدينة حماة حركة نزوح، وقالت مصادر إن طائرات حربية استهدفت أطراف مدينة \
إدلب وبلدة سرمدا القريبة من معبر باب الهوى على الحدود التركية.",
    "وأعلن القيادي أبو علي المقداد أن وفداً من منطقة اللجاة سيزور مدينة بصرى الشام، بعد \
اجتماع في مدينة الصنمين حضره وجهاء من قرى الجيدور وحوران.",
    "وقُتل ثلاثة مدنيين في قصف مدفعي على قرية تل شهاب غربي مدينة درعا، وأصيب آخرون في حي \
درعا البلد ومخيم درعا، بحسب تجمع أحرار حوران.",
];

/// The paragraphs repeated to at least `bytes` bytes.
fn long_text(bytes: usize) -> String {
    let mut out = String::new();
    while out.len() < bytes {
        for p in PARAGRAPHS {
            out.push_str(p);
            out.push('\n');
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let gaz = Gazetteer::builtin().expect("built-in gazetteer");

    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    group.bench_function("builtin", |b| {
        b.iter_batched(
            DataFiles::new,
            |files| Gazetteer::load(&files).map(|g| g.places().len()),
            BatchSize::SmallInput,
        )
    });
    group.finish();

    // 10 KB and 100 KB: the same throughput for both shows that matching is linear.
    let long = long_text(10_000);
    let longer = long_text(100_000);
    let mut group = c.benchmark_group("find");
    for (name, text) in [
        ("short", SHORT),
        ("long", long.as_str()),
        ("100k", longer.as_str()),
    ] {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                let n = rasd_arabic::normalize(black_box(text));
                gaz.find(text, &n).len()
            })
        });
    }
    group.finish();
}

/// CPU time of the running thread (Linux `schedstat`, in nanoseconds): the machine this
/// project builds on is shared, and wall time there measures the neighbours too. Where the
/// file cannot be read it reads 0 and the group says nothing.
struct CpuTime(WallTime);

fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

impl Measurement for CpuTime {
    type Intermediate = u64;
    type Value = u64;
    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns().saturating_sub(start)
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, value: &u64) -> f64 {
        *value as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        self.0.formatter()
    }
}

/// Loading again, timed in CPU time of the thread.
fn bench_cpu(c: &mut Criterion<CpuTime>) {
    let mut group = c.benchmark_group("load_cpu");
    group.sample_size(10);
    group.bench_function("builtin", |b| {
        b.iter_batched(
            DataFiles::new,
            |files| Gazetteer::load(&files).map(|g| g.places().len()),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(CpuTime(WallTime));
    targets = bench_cpu
}
criterion_main!(benches, cpu);
