//! Table-driven tests of place finding, on short sentences written for them (one phenomenon
//! each). Each expectation lists every accepted mention as `«text» key precision`, where
//! `text` is the name as written, `key` the place's P-code or extra-place key and
//! `precision` ACLED's geo_precision.

#![allow(clippy::unwrap_used)] // tests may unwrap

use crate::Gazetteer;

/// `text` gives exactly the mentions `expect`, in order.
fn check(text: &str, expect: &[&str]) {
    let gaz = Gazetteer::builtin().unwrap();
    let n = rasd_arabic::normalize(text);
    let got: Vec<String> = gaz
        .find(text, &n)
        .iter()
        .map(|m| {
            format!(
                "«{}» {} {}",
                &text[m.span],
                gaz.place(m.place).key,
                m.geo_precision.code()
            )
        })
        .collect();
    assert_eq!(got, expect, "in «{text}»");
}

/// Runs a table of `(sentence, expected mentions)`, reporting every failing row at once.
fn table(rows: &[(&str, &[&str])]) {
    let mut failed = Vec::new();
    for (text, expect) in rows {
        if let Err(e) = std::panic::catch_unwind(|| check(text, expect)) {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_else(|| "panic".to_string());
            failed.push(msg);
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} rows failed:\n{}",
        failed.len(),
        rows.len(),
        failed.join("\n")
    );
}

#[test]
fn clitics() {
    table(&[
        ("عاد النازحون إلى درعا بعد الهدوء", &["«درعا» C5993 1"]),
        ("انتشار أمني واسع بدرعا منذ الصباح", &["«درعا» C5993 1"]),
        ("وفي حمص اعتقلت دورية شابين", &["«حمص» C2528 1"]),
        ("غادر الوفد للرقة صباحاً", &["«رقة» C5710 1"]),
        ("وبالمزيريب جرت اشتباكات متقطعة", &["«المزيريب» C6039 1"]),
        ("سقطت قذائف على مزيريب أمس", &["«مزيريب» C6039 1"]),
        ("فككت الفرق عبوة ناسفة في كفرشمس", &["«كفرشمس» C6063 1"]),
        (
            "قصف مدفعي استهدف بلدة الحراك وبصر الحرير",
            &["«الحراك» C6116 1", "«بصر الحرير» C6105 1"],
        ),
        (
            "انسحبت القوات من الرقة باتجاه الطبقة",
            &["«الرقة» C5710 1", "«الطبقة» C5929 1"],
        ),
    ]);
}

#[test]
fn multi_word_names() {
    table(&[
        ("وصل الرتل إلى بصرى الشام ليلاً", &["«بصرى الشام» C6002 1"]),
        ("قصف على أحياء دير الزور", &["«دير الزور» C5086 1"]),
        (
            "غارة على معرة النعمان وكفر نبل",
            &["«معرة النعمان» C3985 1", "«كفر نبل» C4068 1"],
        ),
        ("توتر أمني في الشيخ مسكين", &["«الشيخ مسكين» C6126 1"]),
        ("اشتباكات قرب خربة غزالة", &["«خربة غزالة» C6012 2"]),
        ("دوي انفجار في جسر الشغور", &["«جسر الشغور» C4199 1"]),
        ("نزح الأهالي من وادي بردى", &["«وادي بردى» wadi-barada 2"]),
    ]);
}

#[test]
fn landmarks() {
    table(&[
        (
            "أفرج عن معتقلين من سجن صيدنايا",
            &["«سجن صيدنايا» saydnaya-prison 1"],
        ),
        (
            "اقتحم مسلحون سجن السويداء المركزي",
            &["«سجن السويداء المركزي» suwayda-prison 1"],
        ),
        (
            "هبطت طائرة شحن في مطار المزة العسكري",
            &["«مطار المزة العسكري» mazzeh-airbase 1"],
        ),
        (
            "أغلق معبر باب الهوى أمام المسافرين",
            &["«معبر باب الهوى» bab-al-hawa-crossing 1"],
        ),
        (
            "سيطرت الفصائل على معبر نصيب الحدودي",
            &["«معبر نصيب الحدودي» nasib-crossing 1"],
        ),
        (
            "قصفت الطائرات مطار الشعيرات",
            &["«مطار الشعيرات» shayrat-airbase 1"],
        ),
        (
            "داهموا حاجزاً غربي أوتوستراد درعا – دمشق",
            &["«أوتوستراد درعا – دمشق» daraa-damascus-highway 3"],
        ),
        (
            "معارك عنيفة في جبل التركمان",
            &["«جبل التركمان» jabal-turkman 2"],
        ),
        (
            "تقدمت القوات نحو تل الحارة",
            &["«تل الحارة» tal-al-harra 1"],
        ),
        ("تضرر سد الفرات بعد القصف", &["«سد الفرات» euphrates-dam 1"]),
        (
            "اعتصام لطلاب جامعة دمشق",
            &["«جامعة دمشق» damascus-university 1"],
        ),
        ("تحرير المعتقلين من سجن إزرع", &["«سجن إزرع» izra-prison 1"]),
    ]);
}

#[test]
fn regions() {
    table(&[
        (
            "اشتباكات متقطعة في ريف درعا الشرقي",
            &["«ريف درعا الشرقي» daraa-east 3"],
        ),
        ("قصف صاروخي على ريف حلب الشمالي", &["«حلب» SY02 3"]),
        ("حملة دهم في ريف دمشق", &["«ريف دمشق» SY03 3"]),
        (
            "انشقاق عناصر في الريف الغربي من محافظة درعا",
            &["«الريف الغربي» daraa-west 3", "«درعا» SY12 3"],
        ),
        (
            "توترات متزايدة في الجنوب السوري",
            &["«الجنوب السوري» south-of-syria 3"],
        ),
        (
            "موجة نزوح جديدة في شمال سوريا",
            &["«شمال سوريا» north-of-syria 3"],
        ),
        (
            "حملة اعتقالات في الغوطة الشرقية",
            &["«الغوطة الشرقية» east-ghouta 2"],
        ),
        ("معارك كر وفر في سهل الغاب", &["«سهل الغاب» ghab-plain 2"]),
        (
            "اجتماع لوجهاء حوران في اللجاة",
            &["«حوران» hauran 3", "«اللجاة» lajat 2"],
        ),
        ("عمليات عسكرية في القلمون", &["«القلمون» qalamoun 3"]),
        ("اعتذر وفد من منطقة الجيدور", &["«الجيدور» jaydur 2"]),
        (
            "دخلت الفصائل مدينة السويداء ثم مركز المحافظة",
            &["«السويداء» C6147 1", "«مركز المحافظة» C6147 1"],
        ),
        (
            "انشقاقات في المنطقة الشرقية من المحافظة بعد أحداث درعا",
            &[
                "«المنطقة الشرقية من المحافظة» daraa-east 3",
                "«درعا» C5993 1",
            ],
        ),
        (
            "في الريف الغربي من محافظة القنيطرة",
            &["«الريف الغربي» SY14 3", "«القنيطرة» SY14 3"],
        ),
        ("قصف مدفعي على ريف القصير", &["«القصير» C2733 2"]),
        ("حملة دهم في قرى بريف بلدة تل تمر", &["«تل تمر» C4409 2"]),
        ("اشتباكات في بادية حمص الشرقية", &["«حمص» SY04 3"]),
        (
            "معارك في ريفي حماة وإدلب",
            &["«حماة» SY05 3", "«إدلب» SY07 3"],
        ),
    ]);
}

#[test]
fn homonyms() {
    table(&[
        (
            "اعتقالات في مدينة نوى بمحافظة درعا",
            &["«نوى» C6124 1", "«درعا» SY12 3"],
        ),
        (
            "قتل راع في قرية نوى بريف حمص",
            &["«نوى» C2928 1", "«حمص» SY04 3"],
        ),
        (
            "حريق في قرية نوى قرب السلمية",
            &["«نوى» C3255 1", "«السلمية» C3244 2"],
        ),
        (
            "قصف على الهامة وقدسيا قرب دمشق",
            &["«الهامة» C2323 1", "«قدسيا» C2328 1", "«دمشق» C1001 2"],
        ),
        (
            "مداهمات في قرية الهامة بريف الحسكة",
            &["«الهامة» C4805 1", "«الحسكة» SY08 3"],
        ),
        ("وصل الجرحى إلى القنيطرة", &["«القنيطرة» C6268 1"]),
        (
            "اشتباكات قرب قرية القنيطرة في ريف إدلب",
            &["«القنيطرة» C4177 2", "«إدلب» SY07 3"],
        ),
        (
            "اشتباكات في صيدا وأم المياذن بريف درعا",
            &["«صيدا» C5995 1", "«أم المياذن» C5996 1", "«درعا» SY12 3"],
        ),
        (
            "انفجار في مرفأ صيدا جنوب لبنان",
            &["«صيدا» sidon 1", "«جنوب لبنان» lb-south-lebanon 3"],
        ),
        (
            "إطلاق نار في الكسوة جنوب دمشق",
            &["«الكسوة» C2280 1", "«دمشق» C1001 2"],
        ),
        ("سيطرت الفصائل على محافظة درعا", &["«درعا» SY12 3"]),
        ("دخلت الفصائل مدينة درعا", &["«درعا» C5993 1"]),
        ("طالب أهالي درعا بالإفراج عن المعتقلين", &["«درعا» SY12 3"]),
        (
            "قصفت الطائرات مدينتي حلب وحماة",
            &["«حلب» C1007 1", "«حماة» C2987 1"],
        ),
    ]);
}

#[test]
fn directions() {
    table(&[
        (
            "قصف على بلدة نمر شمال مدينة جاسم",
            &["«نمر» C6112 1", "«جاسم» C6111 2"],
        ),
        ("انفجار عبوة بالقرب من بلدة نمر", &["«نمر» C6112 2"]),
        ("اشتباكات على أطراف مدينة درعا", &["«درعا» C5993 2"]),
        ("تحركات عسكرية في محيط دمشق", &["«دمشق» C1001 2"]),
        ("سقطت قذيفة إلى الشمال من مدينة إزرع", &["«إزرع» C6101 2"]),
        (
            "انفجار لغم في القرى المحيطة ببلدة جاسم",
            &["«جاسم» C6111 2"],
        ),
        (
            "اقتحام منزل في قرية قريبة من مدينة تلكلخ",
            &["«تلكلخ» C2762 2"],
        ),
        (
            "غارة على محيط مطار الضبعة العسكري بريف حمص",
            &["«الضبعة» C2726 2", "«حمص» SY04 3"],
        ),
        ("قطع الأهالي أوتوستراد درعا مساء أمس", &["«درعا» C5993 2"]),
    ]);
}

#[test]
fn common_word_and_person_traps() {
    table(&[
        // Words and names that are not places here.
        ("وحضر الاجتماع وجهاء المنطقة", &[]),
        ("التقى القيادي نمر بوجهاء المنطقة", &[]),
        ("قال أبو جاسم إن الوضع هادئ", &[]),
        ("وصل جاسم المحاميد إلى منزله", &[]),
        ("كان لهم نصيب كبير من المعاناة", &[]),
        ("عرضت الصور على الشاشة", &[]),
        ("هذه من القضايا الهامة في البلاد", &[]),
        ("نوى المشاركون تنظيم وقفة", &[]),
        ("تحدث ابن طفس عن الحادثة", &[]),
        ("شارك نمر الزعبي في النقاش", &[]),
        // The same names as places, with what makes them places.
        (
            "قصفت المدفعية قرية حضر في القنيطرة",
            &["«حضر» C6278 1", "«القنيطرة» C6268 1"],
        ),
        ("دخلت دورية إلى بلدة نمر", &["«نمر» C6112 1"]),
        ("انسحبت القوات من مدينة جاسم", &["«جاسم» C6111 1"]),
        (
            "سيطرت الفصائل على معبر نصيب وبلدة نصيب",
            &["«معبر نصيب» nasib-crossing 1", "«نصيب» C5999 1"],
        ),
        ("وصل المقداد إلى مدينة طفس", &["«طفس» C6034 1"]),
        (
            "عقد اجتماع في طفس بحضور وجهاء من نصيب ومدينة درعا",
            &["«طفس» C6034 1", "«نصيب» C5999 1", "«درعا» C5993 1"],
        ),
        (
            "انشقاق عناصر من الهامة والكسوة في ريف دمشق",
            &["«الهامة» C2323 1", "«الكسوة» C2280 1", "«ريف دمشق» SY03 3"],
        ),
    ]);
}

#[test]
fn phrases_that_hide_places() {
    table(&[
        ("قالت مصادر لموقع حلب اليوم إن الوضع متوتر", &[]),
        ("بحسب ما نقل تلفزيون سوريا", &[]),
        ("قال قائد سابق في جيش اليرموك", &[]),
        ("وثق تجمع أحرار حوران الانتهاكات", &[]),
        (
            "تقدمت قوات سوريا الديمقراطية نحو الرقة",
            &["«الرقة» C5710 1"],
        ),
        (
            "دعا الوجهاء إلى المحافظة على الأمن في درعا",
            &["«درعا» C5993 1"],
        ),
        ("قتل قيادي في فيلق القدس", &[]),
        ("بيان لحركة رجال الكرامة", &[]),
    ]);
}

#[test]
fn foreign_places() {
    table(&[
        ("غادرت عائلته إلى موسكو", &["«موسكو» moscow 1"]),
        (
            "وصل وفد من عمان إلى دمشق",
            &["«عمان» amman 1", "«دمشق» C1001 1"],
        ),
        (
            "غارة قرب الحدود اللبنانية",
            &["«الحدود اللبنانية» border-lebanon 3"],
        ),
        (
            "محافظة درعا المحاذية للحدود الأردنية",
            &["«درعا» SY12 3", "«حدود الأردنية» border-jordan 3"],
        ),
        (
            "سحبت إيران مستشاريها من سوريا باتجاه العراق",
            &["«إيران» IR 3", "«سوريا» SY 3", "«العراق» IQ 3"],
        ),
        ("نقل الجرحى إلى الرمثا", &["«الرمثا» ramtha 1"]),
        (
            "عاد اللاجئون السوريون من الأردن عبر معبر جابر",
            &["«الأردن» JO 3", "«معبر جابر» nasib-crossing 1"],
        ),
        (
            "رحلات بين سلطنة عمان وطهران",
            &["«سلطنة عمان» OM 3", "«طهران» tehran 1"],
        ),
    ]);
}

#[test]
fn spans_point_into_the_original_text() {
    let gaz = Gazetteer::builtin().unwrap();
    let text = "قُصِفَتْ بَلْدَةُ نَمِر";
    let found = gaz.find(text, &rasd_arabic::normalize(text));
    assert_eq!(found.len(), 1);
    assert_eq!(&text[found[0].span], "نَمِر");
    assert_eq!(
        found[0].cue.as_deref(),
        Some("بَلْدَةُ"),
        "the cue keeps its trailing mark"
    );
    assert!(
        found[0].reason.contains("settlement"),
        "{}",
        found[0].reason
    );
}

#[test]
fn alternatives_and_reasons_explain_homonyms() {
    let gaz = Gazetteer::builtin().unwrap();
    let text = "اعتقالات في مدينة نوى بمحافظة درعا";
    let found = gaz.find(text, &rasd_arabic::normalize(text));
    let nawa = &found[0];
    assert_eq!(nawa.alternatives.len(), 2, "the Homs and Hama villages");
    assert!(
        nawa.reason.contains("fits the other places"),
        "{}",
        nawa.reason
    );
    let place = gaz.place(nawa.place);
    assert_eq!(place.admin1.as_deref(), Some("Dar'a"));
    assert_eq!(place.admin2.as_deref(), Some("Izra'"));
    assert_eq!(place.admin3.as_deref(), Some("Nawa"));
}

#[test]
fn lookup_lists_candidates() {
    let gaz = Gazetteer::builtin().unwrap();
    let keys = |q: &str| {
        gaz.lookup(q)
            .iter()
            .map(|p| p.key.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(keys("الهامة"), ["C2323", "C4805", "C5764"]);
    assert_eq!(keys("بدرعا").first().map(String::as_str), Some("SY12"));
    // The Daraa town and its subdistrict, and a village of the same name in Hasakeh.
    assert_eq!(keys("مزيريب"), ["SY120005", "C6039", "C4893"]);
    assert_eq!(keys("إزرع"), keys("ازرع"));
    assert!(keys("لا يوجد مكان بهذا الاسم").is_empty());
}

#[test]
fn data_fixes_are_applied() {
    let gaz = Gazetteer::builtin().unwrap();
    assert_eq!(
        gaz.by_key("C6010").map(|p| p.name_ar.as_str()),
        Some("الغارية الغربية")
    );
    assert_eq!(
        gaz.by_key("C6101").map(|p| p.name_ar.as_str()),
        Some("إزرع")
    );
    // A compound community is one place with two names.
    let parts = gaz.lookup("سللور");
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0].name_ar, "السامرة");
    // The 2015 Qadmous subdistricts sit in the 2020 Qadmous district.
    assert!(gaz
        .places()
        .iter()
        .any(|p| p.admin2_pcode.as_deref() == Some("SY1006")
            && p.kind == crate::PlaceKind::Community));
}

#[test]
fn user_rows_extend_and_override() {
    let mut files = rasd_core::DataFiles::new();
    files.add_override(
        "gazetteer/extra_places.tsv",
        "# user\nmy-farm\tcommunity\tمزرعة الاختبار\t-\tTest farm\tC6124\t32.9\t36.0\t1\t4\t-\t-\t-\n",
    );
    files.add_override(
        "gazetteer/aliases.tsv",
        "# user\nنواه الكبرى\tC6124\ttest\n",
    );
    let gaz = Gazetteer::load(&files).unwrap();
    let text = "قصف على مزرعة الاختبار وعلى نواه الكبرى";
    let found = gaz.find(text, &rasd_arabic::normalize(text));
    let keys: Vec<&str> = found
        .iter()
        .map(|m| gaz.place(m.place).key.as_str())
        .collect();
    assert_eq!(keys, ["my-farm", "C6124"]);
    assert_eq!(
        gaz.place(found[0].place).admin1_pcode.as_deref(),
        Some("SY12")
    );
}

/// What a thread remembers of the words it read with one gazetteer does not carry over to
/// another gazetteer with other names.
#[test]
fn each_gazetteer_reads_words_with_its_own_names() {
    let text = "قصف على زمردستان";
    let builtin = Gazetteer::builtin().unwrap();
    assert!(builtin.find(text, &rasd_arabic::normalize(text)).is_empty());
    let mut files = rasd_core::DataFiles::new();
    files.add_override(
        "gazetteer/extra_places.tsv",
        "# user\nmy-farm\tcommunity\tزمردستان\t-\tTest farm\tC6124\t32.9\t36.0\t1\t4\t-\t-\t-\n",
    );
    let extended = Gazetteer::load(&files).unwrap();
    for _ in 0..2 {
        let found = extended.find(text, &rasd_arabic::normalize(text));
        assert_eq!(found.len(), 1, "the extended gazetteer finds the farm");
        assert!(builtin.find(text, &rasd_arabic::normalize(text)).is_empty());
    }
}

#[test]
fn bad_user_rows_name_file_and_line() {
    let mut files = rasd_core::DataFiles::new();
    files.add_override("gazetteer/aliases.tsv", "# user\n\nاسم\tX9999\tnote\n");
    let err = Gazetteer::load(&files).unwrap_err().to_string();
    assert_eq!(
        err,
        "gazetteer/aliases.tsv (user data):3: «X9999» is not a known place key"
    );
}

#[test]
fn the_fast_path_folds_like_the_normalizer() {
    for c in ('\u{0600}'..='\u{06FF}').chain('\u{0020}'..='\u{007E}') {
        if crate::gazetteer::is_stable(c) {
            let s = c.to_string();
            assert_eq!(
                rasd_arabic::normalize_key(&s),
                s,
                "U+{:04X} is not stable",
                c as u32
            );
        }
    }
    let gaz = Gazetteer::builtin().unwrap();
    for p in gaz.places() {
        for form in std::iter::once(&p.name_ar).chain(&p.aliases_ar) {
            assert_eq!(
                crate::gazetteer::fold(form),
                rasd_arabic::normalize_key(form),
                "«{form}»"
            );
        }
    }
}

#[test]
fn places_serialize_for_json_lines() {
    let gaz = Gazetteer::builtin().unwrap();
    let nawa = gaz.by_key("C6124").unwrap();
    let json = serde_json::to_value(nawa).unwrap();
    assert_eq!(json["kind"], "community");
    assert_eq!(json["admin1_pcode"], "SY12");
    assert_eq!(json["precision"], 1);
    assert_eq!(json["name_ar"], "نوى");
    let west = gaz.by_key("west-of-governorate").unwrap();
    assert_eq!(
        serde_json::to_value(west).unwrap()["relative"]["part"],
        "west"
    );
}

/// Issue 12: names of places abroad, and of people, are never Syrian villages.
#[test]
fn issue_12_the_world_outside_syria() {
    table(&[
        // A foreign homonym without Syrian context is the place abroad.
        (
            "قصفت طائرات التحالف مواقع للحوثيين في مدينة الحديدة",
            &["«الحديدة» gn79415 1"],
        ),
        (
            "وصل الوفد إلى مدينة الطائف مساء أمس",
            &["«الطائف» gn107968 1"],
        ),
        (
            "قتل جنديان في الرمادي بمحافظة الأنبار",
            &["«الرمادي» gn98717 1", "«الأنبار» iq-al-anbar 3"],
        ),
        // With Syrian context the Syrian homonym wins.
        (
            "قصفت قوات النظام السوري قرية الرمادي قرب البوكمال",
            &["«الرمادي» C5166 1", "«البوكمال» C5167 2"],
        ),
        // A Syrian village among places abroad, with nothing Syrian near it, is no place.
        (
            "اشتباكات في حي الكرامة بمدينة عدن اليمنية",
            &["«عدن» gn415189 1"],
        ),
        // A report about elsewhere has no Syrian places, whatever their cues.
        (
            "انفجار في بلدة نمر التابعة لمحافظة البصرة العراقية",
            &["«البصرة» iq-basra 3"],
        ),
        // People are not places, and proclitics never cut into their names.
        ("رفض الرئيس باراك أوباما المطالب", &[]),
        ("قال حسن نصر الله في خطاب متلفز", &[]),
        ("وقال عز الدين الأصبحي إن الوضع صعب", &[]),
        // A relative name takes the country in context: «المحافظة» near Aden is not Syrian.
        (
            "سيطرت القوات على عدن وأعلنت أن المحافظة آمنة",
            &["«عدن» gn415189 1"],
        ),
        // A street or square named after a place is not that place, nor are the names listed
        // with it («شارعي الثورة وبغداد» in Damascus).
        (
            "سقطت قذائف على شارعي الثورة وبغداد في مدينة دمشق",
            &["«دمشق» C1001 1"],
        ),
        // Syria's border with a neighbour does not make a report one about elsewhere.
        (
            "سيطرت الفصائل على محافظة درعا المحاذية للحدود الأردنية ودخلت مركز المحافظة",
            &[
                "«درعا» SY12 3",
                "«حدود الأردنية» border-jordan 3",
                "«مركز المحافظة» C5993 1",
            ],
        ),
    ]);
}

#[test]
fn issue_12_countries_carry_their_iso_codes() {
    let gaz = Gazetteer::builtin().unwrap();
    let syria = gaz.country("SY").unwrap();
    assert_eq!((syria.iso_numeric, syria.name_en.as_str()), (760, "Syria"));
    assert_eq!(gaz.country("LB").unwrap().iso_numeric, 422);
    assert_eq!(gaz.by_key("arsal").unwrap().country, "LB");
    assert_eq!(gaz.by_key("C6124").unwrap().country, "SY");
    let turkey = gaz.country_of(gaz.by_key("gaziantep").unwrap()).unwrap();
    assert_eq!((turkey.iso_numeric, turkey.iso3.as_str()), (792, "TUR"));
    assert!(gaz.countries().len() > 200);
}

#[test]
fn issue_12_explain_says_why_a_name_is_no_place() {
    let gaz = Gazetteer::builtin().unwrap();
    let text = "رفض الرئيس باراك أوباما المطالب في عدن، وقالت مصادر إن قرية نمر هادئة";
    let (found, rejected) = gaz.find_explained(text, &rasd_arabic::normalize(text));
    let names: Vec<&str> = found.iter().map(|m| &text[m.span]).collect();
    assert_eq!(names, ["عدن"]);
    let why: Vec<(&str, &str)> = rejected
        .iter()
        .map(|r| (&text[r.span], r.reason.as_str()))
        .collect();
    assert!(
        why.iter()
            .any(|(n, r)| *n == "نمر" && r.contains("report about elsewhere")),
        "{why:?}"
    );
}

#[test]
fn a_neighbourhood_belongs_to_its_city() {
    let gaz = Gazetteer::builtin().unwrap();
    let town = |key: &str| {
        let place = gaz.by_key(key).unwrap();
        gaz.town_of(place.id).map(|t| t.key.clone())
    };
    // A neighbourhood of extra_places.tsv, and one of OCHA's Damascus neighbourhoods.
    assert_eq!(town("aleppo-sheikh-maqsoud").as_deref(), Some("C1007"));
    assert_eq!(town("C10011059").as_deref(), Some("C1001"));
    assert_eq!(town("homs-waer").as_deref(), Some("C2528"));
    // Towns and villages belong to no other town.
    assert_eq!(town("C1007"), None);
    assert_eq!(town("C6124"), None);
}

#[test]
fn a_neighbourhood_of_the_city_in_context_wins_its_homonyms() {
    table(&[(
        "سقطت قذائف على حيي الأشرفية وبستان الباشا في مدينة حلب",
        &[
            "«الأشرفية» aleppo-ashrafiyeh 1",
            "«بستان الباشا» aleppo-bustan-al-basha 1",
            "«حلب» C1007 1",
        ],
    )]);
}

#[test]
fn a_name_written_joined_to_its_first_word() {
    table(&[(
        "غارة على مدينة كفرزيتا وقصف على كفرنبودة",
        &["«كفرزيتا» C3463 1", "«كفرنبودة» C3209 1"],
    )]);
}

#[test]
fn a_common_word_with_its_own_preposition_clitic_is_no_place() {
    // «إسقاط» is a village of Idlib and the word «toppling»: «بإسقاط» is the word.
    table(&[(
        "طالب المتظاهرون في مدينة إدلب بإسقاط النظام",
        &["«إدلب» C3871 1"],
    )]);
}

#[test]
fn a_rural_cue_carries_along_a_list_only_to_provinces() {
    table(&[
        ("في ريف حماة وإدلب", &["«حماة» SY05 3", "«إدلب» SY07 3"]),
        (
            "في بلدة بنش بريف إدلب، والأتارب في ريف حلب الغربي",
            &[
                "«بنش» C3904 1",
                "«إدلب» SY07 3",
                "«الأتارب» C1022 1",
                "«حلب» SY02 3",
            ],
        ),
    ]);
}

#[test]
fn an_outlet_named_after_a_place_is_no_place() {
    table(&[(
        "نقلت شبكة أخبار دمشق عن مصدر أن اشتباكات اندلعت في ريف حماة",
        &["«حماة» SY05 3"],
    )]);
}

#[test]
fn a_governorate_that_syria_does_not_have_is_abroad() {
    table(&[
        // «بيشة» is a Syrian village and a Saudi governorate: Syria has no governorate of
        // that name, so the one meant is abroad, even in a report that speaks of Syria.
        ("زار وفد من التجار السوريين محافظة بيشة لشراء التمور", &[]),
        ("وقال محافظ بيشة إن الموسم الزراعي كان جيداً", &[]),
        // Syria's own governorates, and a village with its own settlement cue, still read.
        (
            "قال محافظ درعا إن قرية بيشة لم تتضرر",
            &["«درعا» SY12 3", "«بيشة» C2206 1"],
        ),
    ]);
}

#[test]
fn an_area_before_a_common_word_is_no_sign_of_syria() {
    table(&[
        // «منطقة التجارة» is a trade zone here, not Damascus's Tijara, and the report has no
        // other sign of Syria: Cairo is Egypt's.
        (
            "اتفق الوزراء على تفعيل منطقة التجارة الحرة في اجتماعهم في القاهرة",
            &["«القاهرة» cairo 1"],
        ),
        // In a report from Syria, the area is Damascus's neighbourhood.
        (
            "سقطت قذيفة في منطقة التجارة بمدينة دمشق",
            &["«التجارة» C10011017 1", "«دمشق» C1001 1"],
        ),
        // «قرب» and «طوال» read with any noun: no sign of Syria before a common word.
        ("تزدحم الأسواق قرب حلول العيد ويسهر الباعة طوال الليل", &[]),
    ]);
}

#[test]
fn a_title_before_a_name_is_no_place() {
    table(&[
        // «ملك» is a village of Hasakeh, and «الملك» a king's title.
        (
            "افتتحت جامعة الملك فيصل مركزاً جديداً في مدينة الملك عبدالله",
            &[],
        ),
        // With no name after it, a settlement cue still reads the village.
        (
            "قصفت الطائرات قرية ملك في ريف الحسكة",
            &["«ملك» C5073 1", "«الحسكة» SY08 3"],
        ),
    ]);
}

#[test]
fn the_two_villages_named_before_are_no_town_of_homs() {
    table(&[
        // «القريتين» after «قريتي … و…» is «the two villages», not al-Qaryatayn: it means
        // the pair, read at its first village.
        (
            "قصفت المدفعية قريتي كفرنبل وحاس ثم اقتحمت القوات القريتين",
            &["«كفرنبل» C4068 1", "«حاس» C4058 1", "«القريتين» C4068 1"],
        ),
        // With no pair before it, it is the town.
        (
            "اشتباكات عنيفة في مدينة القريتين بريف حمص",
            &["«القريتين» C2663 1", "«حمص» SY04 3"],
        ),
    ]);
}

#[test]
fn a_bare_list_of_three_capitals_names_their_provinces() {
    table(&[
        (
            "غارات على مواقع التنظيم في دير الزور والحسكة والرقة",
            &["«دير الزور» SY09 3", "«الحسكة» SY08 3", "«الرقة» SY11 3"],
        ),
        // Two capitals, or a settlement cue, are towns.
        (
            "قصف على مدينتي حماة وإدلب",
            &["«حماة» C2987 1", "«إدلب» C3871 1"],
        ),
    ]);
}

/// Issue 15, defect 8: whether a name is «aside» (a home town, a road's end) reaches through
/// its whole list, however long, and stops at the list's end.
#[test]
fn issue_15_aside_reaches_through_a_long_list() {
    let gaz = Gazetteer::builtin().unwrap();
    let towns = ["درعا", "حمص", "حماة", "ادلب"].repeat(50).join(" و");
    let text = format!("قتل شبان من أبناء مدن {towns}. وقصفت الطائرات مدينة حلب");
    let found = gaz.find(&text, &rasd_arabic::normalize(&text));
    let (home, rest): (Vec<_>, Vec<_>) = found.iter().partition(|m| m.aside);
    assert_eq!(home.len(), 200, "every town of the list is a home town");
    assert_eq!(
        rest.iter().map(|m| &text[m.span]).collect::<Vec<_>>(),
        ["حلب"]
    );
}

#[test]
fn a_two_letter_name_is_not_read_behind_proclitics() {
    table(&[
        // «باب» (a door) is not «ب» + «إب» (Ibb, in Yemen).
        (
            "انفجرت القنبلة قرب باب المنزل في مدينة جاسم",
            &["«جاسم» C6111 1"],
        ),
        // Written on its own, Ibb is still read.
        (
            "قصف طيران التحالف مواقع في مدينة إب اليمنية",
            &["«إب» ye-ibb 3"],
        ),
    ]);
}
