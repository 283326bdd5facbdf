//! Events for the export tests, built from rasd_core types: varied on purpose (with and
//! without coordinates, dates, counts, vague fatalities, Arabic text, several sources).
#![allow(dead_code, clippy::unwrap_used)]

use chrono::NaiveDate;
use rasd_core::{
    interaction_code, ActorType, Count, CountWhat, DatePrecision, Estimate, Event, Evidence,
    GeoPrecision, Modality, SourceRef, SubEventType,
};

/// A bare event of `sub` in report `doc`.
pub fn base(doc: &str, sub: SubEventType, n: u32) -> Event {
    Event {
        event_id: rasd_core::event_id(doc, sub, &format!("p{n}"), None),
        doc_id: doc.to_string(),
        event_type: sub.event_type(),
        sub_event_type: sub,
        disorder_type: sub.disorder_type(),
        date: None,
        date_precision: None,
        actor1: None,
        actor1_ar: None,
        inter1: None,
        actor2: None,
        actor2_ar: None,
        inter2: None,
        interaction: None,
        assoc_actors: vec![],
        location: None,
        location_ar: None,
        location_pcode: None,
        admin1: None,
        admin2: None,
        admin3: None,
        admin1_pcode: None,
        country: None,
        iso: None,
        latitude: None,
        longitude: None,
        geo_precision: None,
        fatalities: None,
        injured: None,
        count: None,
        modality: Modality::Asserted,
        background: false,
        sources: vec![],
        corroboration: 1,
        evidence: vec![],
        notes: format!("{} in report {doc}", sub.as_str()),
        confidence: 0.75,
        review: None,
    }
}

fn evidence(doc: &str, text: &str, field: &str, start: usize) -> Evidence {
    Evidence {
        doc_id: doc.into(),
        start,
        end: start + text.len(),
        text: text.into(),
        field: field.into(),
    }
}

fn source(name: &str, name_ar: Option<&str>, kind: &str, doc: &str) -> SourceRef {
    SourceRef {
        name: name.into(),
        name_ar: name_ar.map(Into::into),
        kind: kind.into(),
        doc_id: doc.into(),
    }
}

/// Six events covering the shapes an export must handle.
pub fn sample() -> Vec<Event> {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);

    // 1. A clash in Tafas with exact fatalities, two reports, Arabic evidence.
    let mut clash = base("r1.txt", SubEventType::ArmedClash, 1);
    clash.date = day(2024, 12, 6);
    clash.date_precision = Some(DatePrecision::Day);
    clash.actor1 = Some("Military Forces of Syria (2000-2024)".into());
    clash.actor1_ar = Some("قوات النظام".into());
    clash.inter1 = Some(ActorType::StateForces);
    clash.actor2 = Some("Rebel fighters".into());
    clash.actor2_ar = Some("مقاتلون معارضون".into());
    clash.inter2 = Some(ActorType::RebelGroup);
    clash.interaction = interaction_code(clash.inter1, clash.inter2);
    clash.assoc_actors = vec!["Local militia".into(), "Tribal fighters".into()];
    clash.location = Some("Tafas".into());
    clash.location_ar = Some("طفس".into());
    clash.location_pcode = Some("C6166".into());
    clash.admin1 = Some("Dar'a".into());
    clash.admin2 = Some("Dar'a".into());
    clash.admin3 = Some("Tafas".into());
    clash.admin1_pcode = Some("SY12".into());
    clash.latitude = Some(32.738_14);
    clash.longitude = Some(36.067_29);
    clash.geo_precision = Some(GeoPrecision::Place);
    clash.fatalities = Some(Estimate {
        best: 4,
        low: 3,
        high: 5,
    });
    clash.injured = Some(Estimate::exact(7));
    clash.sources = vec![
        source("Sham Voice", None, "outlet", "r1.txt"),
        source("local sources", Some("مصادر محلية"), "local", "r1.txt"),
        source("Horan Echo", None, "outlet", "r7.txt"),
    ];
    clash.evidence = vec![
        evidence("r1.txt", "اشتباكات", "trigger", 0),
        evidence("r1.txt", "ثلاثة إلى خمسة قتلى", "fatalities", 40),
        evidence("r7.txt", "طفس", "location", 12),
    ];
    clash.notes =
        "Armed clash in Tafas (Dar'a) on 2024-12-06; 3 to 5 killed, \"at least\" 3.".into();
    clash.confidence = 0.9;

    // 2. An air strike with «عشرات» killed: vague, so ACLED's 12.
    let mut strike = base("r2.txt", SubEventType::AirDroneStrike, 2);
    strike.date = day(2024, 12, 20);
    strike.date_precision = Some(DatePrecision::Week);
    strike.actor1 = Some("Military Forces of Russia".into());
    strike.inter1 = Some(ActorType::ExternalOrOther);
    strike.actor2 = Some("Civilians (Syria)".into());
    strike.actor2_ar = Some("مدنيون".into());
    strike.inter2 = Some(ActorType::Civilians);
    strike.interaction = interaction_code(strike.inter1, strike.inter2);
    strike.location = Some("Idleb".into());
    strike.location_ar = Some("إدلب".into());
    strike.admin1 = Some("Idleb".into());
    strike.admin1_pcode = Some("SY07".into());
    strike.latitude = Some(35.931_99);
    strike.longitude = Some(36.634_91);
    strike.geo_precision = Some(GeoPrecision::Place);
    strike.fatalities = Some(Estimate {
        best: 20,
        low: 20,
        high: 99,
    });
    strike.sources = vec![source("AFP", Some("فرانس برس"), "agency", "r2.txt")];
    strike.evidence = vec![evidence("r2.txt", "عشرات القتلى", "fatalities", 30)];
    strike.modality = Modality::Reported;

    // 3. Arrests without coordinates (governorate known, no place): counted detainees.
    let mut arrests = base("r3.txt", SubEventType::Arrests, 3);
    arrests.date = day(2025, 1, 15);
    arrests.date_precision = Some(DatePrecision::Month);
    arrests.actor1 = Some("Police Forces of Syria".into());
    arrests.inter1 = Some(ActorType::StateForces);
    arrests.interaction = interaction_code(arrests.inter1, None);
    arrests.admin1 = Some("Homs".into());
    arrests.admin1_pcode = Some("SY04".into());
    arrests.count = Some(Count::new(
        Estimate {
            best: 12,
            low: 10,
            high: 15,
        },
        CountWhat::Detainees,
    ));
    arrests.evidence = vec![evidence("r3.txt", "اعتقال 12 شاباً", "count", 0)];

    // 4. A protest with a crowd count, Arabic notes with a comma and quotes.
    let mut protest = base("r4.txt", SubEventType::PeacefulProtest, 4);
    protest.date = day(2025, 1, 3);
    protest.date_precision = Some(DatePrecision::Day);
    protest.actor1 = Some("Protesters (Syria)".into());
    protest.inter1 = Some(ActorType::Protesters);
    protest.interaction = interaction_code(protest.inter1, None);
    protest.location = Some("As-Sweida".into());
    protest.location_ar = Some("السويداء".into());
    protest.admin1 = Some("As-Sweida".into());
    protest.admin1_pcode = Some("SY13".into());
    protest.latitude = Some(32.7118);
    protest.longitude = Some(36.567_37);
    protest.geo_precision = Some(GeoPrecision::Region);
    protest.count = Some(Count::new(
        Estimate {
            best: 200,
            low: 200,
            high: 999,
        },
        CountWhat::Civilians,
    ));
    protest.notes = "وقفة احتجاجية، «سلمية» في \"ساحة\" السويداء".into();

    // 5. A hedged event without a date or place: the stats leave it out.
    let mut hedged = base("r5.txt", SubEventType::Attack, 5);
    hedged.modality = Modality::Hedged;
    hedged.actor2 = Some("Civilians (Syria)".into());
    hedged.inter2 = Some(ActorType::Civilians);

    // 6. An abduction with latitude only (invalid for GeoJSON) and a source in Arabic only.
    let mut abduction = base("r6.txt", SubEventType::AbductionForcedDisappearance, 6);
    abduction.date = day(2024, 11, 30);
    abduction.date_precision = Some(DatePrecision::Day);
    abduction.latitude = Some(33.5);
    abduction.admin1_pcode = Some("SY03".into());
    abduction.count = Some(Count::new(Estimate::exact(2), CountWhat::Abducted));
    abduction.sources = vec![source("ناشطون", Some("ناشطون"), "witness", "r6.txt")];

    vec![clash, strike, arrests, protest, hedged, abduction]
}

/// How many of [`sample`]'s events have valid coordinates.
pub const SAMPLE_WITH_COORDINATES: usize = 3;

/// A lazily built stream of `n` varied events (the sample, repeated with fresh ids).
pub fn stream(n: usize) -> impl Iterator<Item = Event> {
    let sample = sample();
    (0..n).map(move |i| {
        let mut e = sample[i % sample.len()].clone();
        e.event_id = format!("ev-{i:016x}");
        e
    })
}
