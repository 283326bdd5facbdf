//! The lexicon files keep their shape: a header comment naming the columns, then rows sorted
//! by key (byte order) and unique, each with the file's number of columns.

#[test]
fn lexicons_are_sorted_unique_and_documented() {
    for (name, text) in rasd_extract::BUILTIN_LEXICONS {
        assert!(
            text.starts_with('#'),
            "{name}: must open with a comment naming its columns"
        );
        assert!(
            text.contains("Columns:"),
            "{name}: the header must name the columns"
        );
        let rows: Vec<(usize, Vec<&str>)> = rasd_core::data::tsv_rows(text).collect();
        assert!(!rows.is_empty(), "{name}: no rows");
        let width = rows[0].1.len();
        for pair in rows.windows(2) {
            let (line, a) = (&pair[0].0, &pair[0].1);
            let (next, b) = (&pair[1].0, &pair[1].1);
            assert!(
                a[0] < b[0],
                "{name}:{next}: «{}» is not after «{}» (line {line})",
                b[0],
                a[0]
            );
        }
        for (line, fields) in &rows {
            assert_eq!(
                fields.len(),
                width,
                "{name}:{line}: {} columns, expected {width}",
                fields.len()
            );
        }
    }
}

#[test]
fn a_user_row_overrides_a_builtin_one() {
    let mut files = rasd_core::DataFiles::new();
    files.add_override(
        "lexicon/triggers.tsv",
        "تجمهر*\tPeaceful protest\t-\t-\t0.9\n",
    );
    let analyzer = rasd_extract::Analyzer::from_data(&files).unwrap();
    let doc = rasd_core::Document::new("t", "تجمهر العشرات أمام مبنى المحافظة في مدينة السويداء.");
    let events = analyzer.analyze(&doc).events;
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0].sub_event_type,
        rasd_core::SubEventType::PeacefulProtest
    );

    let mut broken = rasd_core::DataFiles::new();
    broken.add_override("lexicon/triggers.tsv", "تجمهر*\tParade\t-\t-\t0.9\n");
    let err = rasd_extract::Analyzer::from_data(&broken)
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("lexicon/triggers.tsv:1:"), "{err}");
}

#[test]
fn the_confidence_features_are_the_fitting_scripts() {
    let script = include_str!("../../../scripts/fit_confidence.py");
    let start = script.find("FEATURES = [").unwrap();
    let end = start + script[start..].find(']').unwrap();
    let names: Vec<&str> = script[start..end]
        .lines()
        .skip(1)
        .map(|l| l.trim().trim_end_matches(',').trim_matches('"'))
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(names, rasd_extract::confidence::FEATURES);
}

#[test]
fn confidence_rises_with_what_the_report_names() {
    let analyzer = rasd_extract::Analyzer::new().unwrap();
    let analyze = |text: &str| {
        let doc = rasd_core::Document::new("t", text)
            .with_published(Some(rasd_core::Published::parse("2024-05-02").unwrap()));
        analyzer.analyze(&doc).events.remove(0).confidence
    };
    let bare = analyze("وقع قصف على بلدة تلبيسة.");
    let told = analyze(
        "قصفت قوات النظام بلدة تلبيسة بريف حمص الشمالي أمس، ما أدى إلى مقتل ثلاثة مدنيين، بحسب مصادر محلية.",
    );
    assert!((0.0..=1.0).contains(&bare) && (0.0..=1.0).contains(&told));
    assert!(
        told > bare,
        "named actor, count and source: {told} vs {bare}"
    );
}

#[test]
fn an_unknown_confidence_feature_is_an_error_naming_the_file() {
    let mut files = rasd_core::DataFiles::new();
    files.add_override("lexicon/confidence.tsv", "moon_phase\t1.0\n");
    let err = rasd_extract::Analyzer::from_data(&files)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("lexicon/confidence.tsv") && err.contains("moon_phase"),
        "{err}"
    );
}

#[test]
fn a_report_normalized_by_the_caller_gives_the_same_analysis() {
    let analyzer = rasd_extract::Analyzer::new().unwrap();
    let doc = rasd_core::Document::new(
        "t",
        "قصفت الطائرات الحربية أمس بلدة كفرنبل في ريف إدلب الجنوبي، ما أدى إلى مقتل خمسة مدنيين.",
    )
    .with_published(Some(rasd_core::Published::parse("2023-03-14").unwrap()));
    let events =
        |analysis: rasd_extract::Analysis| serde_json::to_string(&analysis.events).unwrap();
    let plain = events(analyzer.analyze(&doc));
    assert!(plain.contains("كفرنبل"), "{plain}");
    let normalized = rasd_arabic::normalize(&doc.text);
    assert_eq!(
        events(analyzer.analyze_normalized(&doc, &normalized)),
        plain
    );
    // A view of another text is not used.
    let other = rasd_arabic::normalize("نص آخر");
    assert_eq!(events(analyzer.analyze_normalized(&doc, &other)), plain);
}
