//! Numbers and dates: every quantity and date found lies on character boundaries of the text,
//! estimates are ordered (low <= best <= high), and relative dates («أمس», «قبل ثلاثة أيام»)
//! resolve within a few years of the publication day (an explicit date may be any year).
#![no_main]

use std::sync::OnceLock;

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use rasd_arabic::{normalize, DateParser, NumberParser};

fn parsers() -> &'static (NumberParser, DateParser) {
    static PARSERS: OnceLock<(NumberParser, DateParser)> = OnceLock::new();
    PARSERS.get_or_init(|| {
        (
            NumberParser::new().expect("built-in number words load"),
            DateParser::new().expect("built-in date words load"),
        )
    })
}

fuzz_target!(|text: &str| {
    let (numbers, dates) = parsers();
    let n = normalize(text);
    for q in numbers.find(&n) {
        assert!(text.get(q.span.start..q.span.end).is_some(), "{q:?}");
        let e = q.estimate;
        assert!(e.low <= e.best && e.best <= e.high, "{q:?}");
    }
    let published = NaiveDate::from_ymd_opt(2024, 12, 6);
    for d in dates.find(&n, published) {
        assert!(text.get(d.span.start..d.span.end).is_some(), "{d:?}");
        if let (Some(day), Some(p), true) = (d.date, published, d.relative) {
            let days = (day - p).num_days().abs();
            assert!(days <= 5 * 366, "{d:?} is {days} days from {p}");
        }
    }
    for phrase in text.split(['\n', '،', ',']).take(8) {
        if let Some(e) = numbers.parse(phrase) {
            assert!(e.low <= e.best && e.best <= e.high, "{phrase:?}: {e:?}");
        }
    }
});
