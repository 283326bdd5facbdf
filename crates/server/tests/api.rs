//! The API, request by request, through the router without a socket (`oneshot`).
#![allow(clippy::unwrap_used, missing_docs)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use rasd_core::{Document, Estimate, Published, SubEventType};
use rasd_store::conformance::sample_event;
use rasd_store::{Report, RunInfo, SqliteStore, Store};
use serde_json::Value;
use tower::ServiceExt;

const TAFAS: (f64, f64) = (32.738, 36.067);
const IDLIB: (f64, f64) = (35.930, 36.633);

/// A store with a clash in Tafas (Dar'a), a strike on Idlib, and 30 shellings in Dar'a on
/// consecutive days of 2023.
fn store() -> SqliteStore {
    let mut store = SqliteStore::open_in_memory().unwrap();
    fill(&mut store);
    store
}

/// Stores [`store`]'s reports in `store`.
fn fill(store: &mut dyn Store) {
    let run = store.begin_run(&RunInfo::new(["test"])).unwrap();
    let doc = |id: &str, text: &str, day: &str| {
        Document::new(id, text)
            .with_published(Some(Published::parse(day).unwrap()))
            .with_source(Some("Outlet".into()))
    };
    let a = doc(
        "a.txt",
        "اندلعت اشتباكات عنيفة في بلدة طفس بريف درعا الغربي وقتل ثلاثة.",
        "2024-12-06",
    );
    let mut ea = sample_event(
        &a,
        SubEventType::ArmedClash,
        "2024-12-06",
        TAFAS,
        "اشتباكات",
    );
    ea.fatalities = Some(Estimate::exact(3));
    ea.admin1 = Some("Dar'a".into());
    ea.admin1_pcode = Some("SY12".into());
    let c = doc("c.txt", "قصفت طائرة حربية أطراف مدينة إدلب.", "2024-12-07");
    let mut ec = sample_event(
        &c,
        SubEventType::AirDroneStrike,
        "2024-12-07",
        IDLIB,
        "قصفت",
    );
    ec.admin1 = Some("Idleb".into());
    ec.admin1_pcode = Some("SY07".into());
    let mut reports = vec![
        Report::new(a).with_events(vec![ea]),
        Report::new(c).with_events(vec![ec]),
    ];
    for i in 0..30u32 {
        let day = format!("2023-03-{:02}", i + 1);
        let d = doc(
            &format!("bulk-{i:02}"),
            &format!("قصف مدفعي على قرية رقم {i} في ريف درعا"),
            &day,
        );
        let mut e = sample_event(
            &d,
            SubEventType::ShellingArtilleryMissileAttack,
            &day,
            (32.5 + f64::from(i) * 0.01, 36.0),
            "قصف",
        );
        e.admin1 = Some("Dar'a".into());
        e.admin1_pcode = Some("SY12".into());
        reports.push(Report::new(d).with_events(vec![e]));
    }
    store.commit_batch(run, reports, &[]).unwrap();
}

fn app() -> Router {
    rasd_server::app(rasd_server::AppState::with_store(store()))
}

async fn get(app: &Router, uri: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let response = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, body.to_vec())
}

async fn get_json(app: &Router, uri: &str) -> (StatusCode, Value) {
    let (status, headers, body) = get(app, uri).await;
    assert_eq!(
        headers.get("content-type").unwrap(),
        "application/json",
        "{uri}"
    );
    (status, serde_json::from_slice(&body).unwrap())
}

fn ids(page: &Value) -> Vec<String> {
    page["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event_id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn events_are_listed_in_order_and_filtered_like_the_cli() {
    let app = app();
    let (status, page) = get_json(&app, "/api/events").await;
    assert_eq!(status, StatusCode::OK);
    let events = page["events"].as_array().unwrap();
    assert_eq!(events.len(), 32);
    assert!(page.get("next_cursor").is_none());
    let dates: Vec<&str> = events.iter().map(|e| e["date"].as_str().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);

    let count = |v: &Value| v["events"].as_array().unwrap().len();
    for (uri, expected) in [
        ("/api/events?type=Battles", 1),
        ("/api/events?sub_type=Air%2Fdrone%20strike", 1),
        ("/api/events?admin1=SY07", 1),
        ("/api/events?admin1=%D8%AF%D8%B1%D8%B9%D8%A7", 31),
        ("/api/events?from=2024-01-01", 2),
        ("/api/events?from=2023-03-10&to=2023-03-19", 10),
        ("/api/events?bbox=35.9,32.49,36.1,32.545", 5),
        ("/api/events?text=%D8%B7%D9%81%D8%B3", 1),
        ("/api/events?min_confidence=0.9", 0),
        ("/api/events?country=LB", 0),
        ("/api/events?country=all", 32),
    ] {
        let (status, page) = get_json(&app, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {page}");
        assert_eq!(count(&page), expected, "{uri}");
    }
}

#[tokio::test]
async fn cursor_pages_give_every_event_once() {
    let app = app();
    let (_, all) = get_json(&app, "/api/events").await;
    let all = ids(&all);
    let mut seen = Vec::new();
    let mut uri = "/api/events?limit=7".to_string();
    loop {
        let (status, page) = get_json(&app, &uri).await;
        assert_eq!(status, StatusCode::OK);
        let got = ids(&page);
        assert!(got.len() <= 7);
        seen.extend(got);
        match page["next_cursor"].as_str() {
            Some(c) => uri = format!("/api/events?limit=7&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, all);
}

#[tokio::test]
async fn bad_parameters_get_a_400_naming_them() {
    let app = app();
    for (uri, name) in [
        ("/api/events?from=March", "from"),
        ("/api/events?type=Picnic", "type"),
        ("/api/events?bbox=1,2", "bbox"),
        ("/api/events?limit=0", "limit"),
        ("/api/events?cursor=nonsense", "cursor"),
        ("/api/events?admin1=Atlantis", "admin1"),
        ("/api/map?cell=100", "cell"),
        ("/api/search?q=%20", "q"),
        ("/api/export/xlsx", "format"),
    ] {
        let (status, body) = get_json(&app, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(
            body["error"].as_str().unwrap().starts_with(name),
            "{uri}: {body}"
        );
    }
    let (status, body) = get_json(&app, "/api/events/ev-nothing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body["error"].as_str().unwrap().contains("ev-nothing"));
    let (status, _) = get_json(&app, "/api/nothing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_event_comes_with_its_reports_and_evidence_that_indexes_them() {
    let app = app();
    let (_, page) = get_json(&app, "/api/events?type=Battles").await;
    let id = ids(&page).remove(0);
    let (status, detail) = get_json(&app, &format!("/api/events/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["event"]["event_id"], id.as_str());
    assert_eq!(detail["corroboration"], 1);
    let report = &detail["reports"][0];
    assert_eq!(report["doc_id"], "a.txt");
    let text = report["text"].as_str().unwrap();
    let evidence = detail["event"]["evidence"].as_array().unwrap();
    assert!(!evidence.is_empty());
    for v in evidence {
        let (start, end) = (
            v["start"].as_u64().unwrap() as usize,
            v["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[start..end], v["text"].as_str().unwrap());
    }
}

#[tokio::test]
async fn search_stats_map_and_places_answer() {
    let app = app();
    let (status, hits) = get_json(&app, "/api/search?q=%D8%A7%D8%AF%D9%84%D8%A8").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(hits[0]["doc_id"], "c.txt");
    let snippet = hits[0]["snippet"].as_str().unwrap();
    let [start, end] = [0, 1].map(|i| hits[0]["highlights"][0][i].as_u64().unwrap() as usize);
    assert_eq!(&snippet[start..end], "إدلب");

    let (_, months) = get_json(&app, "/api/stats/monthly").await;
    let months = months.as_array().unwrap();
    let row = |m: &str, t: &str| {
        months
            .iter()
            .find(|r| r["month"] == m && r["event_type"] == t)
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(row("2023-03", "Explosions/Remote violence")["events"], 30);
    assert_eq!(row("2024-12", "Battles")["fatalities"], 3);

    let (_, map) = get_json(&app, "/api/map?cell=1").await;
    assert_eq!(map["placed"], 32);
    let cells = map["cells"].as_array().unwrap();
    let total: u64 = cells.iter().map(|c| c["count"].as_u64().unwrap()).sum();
    assert_eq!(total, 32);
    let idlib = cells
        .iter()
        .find(|c| c["count"] == 1 && c["latitude"].as_f64() > Some(35.0));
    assert!(idlib.unwrap()["event_id"].is_string());
    let (_, fine) = get_json(&app, "/api/map?cell=0.001").await;
    assert_eq!(fine["cells"].as_array().unwrap().len(), 32);

    let (_, govs) = get_json(&app, "/api/places").await;
    assert_eq!(govs.as_array().unwrap().len(), 14);
    let (_, daraa) = get_json(&app, "/api/places?q=%D8%AF%D8%B1%D8%B9%D8%A7").await;
    assert!(daraa
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["pcode"] == "SY12"));
}

#[tokio::test]
async fn downloads_come_in_every_export_format() {
    let app = app();
    let (status, headers, body) = get(&app, "/api/export/csv?admin1=SY07").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains("rasd-events.csv"));
    let text = String::from_utf8(body).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
    let (_, _, body) = get(&app, "/api/export/jsonl").await;
    assert_eq!(String::from_utf8(body).unwrap().lines().count(), 32);
    let (_, _, body) = get(&app, "/api/export/geojson").await;
    let geo: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(geo["features"].as_array().unwrap().len(), 32);
    let (status, _, body) = get(&app, "/api/export/parquet").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.starts_with(b"PAR1") && body.ends_with(b"PAR1"));
}

#[tokio::test]
async fn every_response_is_locked_down_and_cors_is_off() {
    let app = app();
    for uri in ["/api/events", "/openapi.json", "/docs", "/api/nothing"] {
        let response = app
            .clone()
            .oneshot(
                Request::get(uri)
                    .header("origin", "https://elsewhere.example")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        let h = response.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert!(h.get("access-control-allow-origin").is_none(), "{uri}");
    }
    let (status, doc) = get_json(&app, "/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(doc["paths"]["/api/events"]["get"].is_object());
}

async fn post(app: &Router, uri: &str, token: Option<&str>, body: &str) -> (StatusCode, Value) {
    let mut request = Request::post(uri).header("content-type", "application/json");
    if let Some(t) = token {
        request = request.header("authorization", format!("Bearer {t}"));
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// An app over the test store, with a reviewer's token.
fn app_with_token() -> (Router, String) {
    app_with_token_on(store())
}

/// The app over `store` (filled already), with a reviewer's token.
fn app_with_token_on(mut store: impl Store + Send + 'static) -> (Router, String) {
    let token = rasd_server::new_token().unwrap();
    store
        .add_token(
            "alice",
            rasd_store::Role::Reviewer,
            &rasd_server::token_hash(&token),
        )
        .unwrap();
    (
        rasd_server::app(rasd_server::AppState::with_store(store)),
        token,
    )
}

#[tokio::test]
async fn writes_without_a_valid_token_are_refused_with_401() {
    let (app, token) = app_with_token();
    let (_, page) = get_json(&app, "/api/events?type=Battles").await;
    let uri = format!("/api/events/{}/review", ids(&page)[0]);
    let body = r#"{"action":"confirm"}"#;
    for bad in [None, Some("rasd_wrong"), Some(&token[..token.len() - 1])] {
        let (status, err) = post(&app, &uri, bad, body).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{bad:?}");
        assert!(err["error"].as_str().unwrap().contains("token"));
    }
    let (_, detail) = get_json(&app, &format!("/api/events/{}", ids(&page)[0])).await;
    assert!(detail["event"].get("review").is_none(), "nothing written");
    let (status, _) = post(&app, &uri, Some(&token), body).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_correction_shows_in_the_event_its_history_the_filters_and_the_exports() {
    let (app, token) = app_with_token();
    a_correction_shows_everywhere(&app, &token).await;
}

/// The same on PostgreSQL: the server needs only the `Store` trait. The synchronous client
/// connects outside the runtime, as `rasd serve` does; the runtime's threads drop the app.
#[test]
fn a_correction_shows_everywhere_on_postgresql_too() {
    let Some(url) = rasd_store::test_server() else {
        eprintln!("skipped: set RASD_TEST_PG to run this test against PostgreSQL");
        return;
    };
    let mut store = rasd_store::PgStore::scratch(&url).unwrap();
    fill(&mut store);
    let (app, token) = app_with_token_on(store);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        a_correction_shows_everywhere(&app, &token).await;
        drop(app);
    });
}

async fn a_correction_shows_everywhere(app: &Router, token: &str) {
    let (_, page) = get_json(app, "/api/events?type=Battles").await;
    let id = ids(&page).remove(0);
    let uri = format!("/api/events/{id}/review");
    let body = r#"{"action":"edit","comment":"the report says four","fields":
        {"sub_event_type":"Air/drone strike","fatalities":4,"place":"SY07","date":"2024-12-05"}}"#;
    let (status, detail) = post(app, &uri, Some(token), body).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    let e = &detail["event"];
    assert_eq!(e["review"], "corrected");
    assert_eq!(e["event_type"], "Explosions/Remote violence");
    assert_eq!(e["fatalities"]["best"], 4);
    assert_eq!(e["admin1_pcode"], "SY07");
    assert_eq!(e["date"], "2024-12-05");
    let history = detail["history"].as_array().unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["who"], "alice");
    assert_eq!(history[0]["before"]["event_type"], "Battles");
    let (_, log) = get_json(app, &format!("/api/events/{id}/history")).await;
    assert_eq!(log[0]["comment"], "the report says four");
    // Filters see the corrected values.
    let (_, battles) = get_json(app, "/api/events?type=Battles").await;
    assert!(ids(&battles).is_empty());
    let (_, idlib) = get_json(app, "/api/events?admin1=SY07&review=corrected").await;
    assert_eq!(ids(&idlib), vec![id.clone()]);
    // Exports carry the corrected values and the review.
    let (_, _, csv) = get(app, "/api/export/csv?review=corrected").await;
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.lines().next().unwrap().ends_with(",review_status"));
    assert!(csv.lines().nth(1).unwrap().ends_with(",corrected"), "{csv}");
    let (_, _, jsonl) = get(app, "/api/export/jsonl?review=corrected").await;
    let exported: Value = serde_json::from_slice(&jsonl).unwrap();
    assert_eq!(exported["fatalities"]["best"], 4);
    assert_eq!(exported["review"], "corrected");
    // A rejection takes the event out of the default listing.
    let (status, _) = post(app, &uri, Some(token), r#"{"action":"reject"}"#).await;
    assert_eq!(status, StatusCode::OK);
    let (_, all) = get_json(app, "/api/events").await;
    assert!(!ids(&all).contains(&id));
    let (_, rejected) = get_json(app, "/api/events?review=rejected").await;
    assert_eq!(ids(&rejected), vec![id]);
}

#[tokio::test]
async fn bad_reviews_are_refused_and_bodies_are_limited() {
    let (app, token) = app_with_token();
    let (_, page) = get_json(&app, "/api/events?type=Battles").await;
    let uri = format!("/api/events/{}/review", ids(&page)[0]);
    for (body, status) in [
        (r#"{"action":"edit"}"#, StatusCode::BAD_REQUEST),
        (
            r#"{"action":"edit","fields":{"date":"soon"}}"#,
            StatusCode::BAD_REQUEST,
        ),
        (
            r#"{"action":"edit","fields":{"place":"nowhere"}}"#,
            StatusCode::BAD_REQUEST,
        ),
        (r#"{"action":"merge"}"#, StatusCode::BAD_REQUEST),
        (
            r#"{"action":"merge","into":"ev-nothing"}"#,
            StatusCode::BAD_REQUEST,
        ),
        (r#"{"action":"dance"}"#, StatusCode::UNPROCESSABLE_ENTITY),
        (
            r#"{"action":"confirm","x":1}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("not json", StatusCode::BAD_REQUEST),
    ] {
        let (got, err) = post(&app, &uri, Some(&token), body).await;
        assert_eq!(got, status, "{body}: {err}");
        assert!(err["error"].is_string(), "{body}");
    }
    let (status, _) = post(
        &app,
        "/api/events/ev-nothing/review",
        Some(&token),
        r#"{"action":"confirm"}"#,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let huge = format!(
        r#"{{"action":"confirm","comment":"{}"}}"#,
        "a".repeat(rasd_server::BODY_LIMIT)
    );
    let (status, _) = post(&app, &uri, Some(&token), &huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_private_server_wants_a_token_for_reads() {
    let mut store = store();
    let token = rasd_server::new_token().unwrap();
    store
        .add_token(
            "bob",
            rasd_store::Role::Admin,
            &rasd_server::token_hash(&token),
        )
        .unwrap();
    let app = rasd_server::app(rasd_server::AppState::with_store(store).reads_need_token(true));
    let (status, _) = get_json(&app, "/api/events").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let response = app
        .clone()
        .oneshot(
            Request::get("/api/events")
                .header("authorization", format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_page_and_its_files_are_compiled_in() {
    let app = app();
    let (status, headers, body) = get(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let page = String::from_utf8(body).unwrap();
    assert!(
        page.contains("/assets/app.js") && !page.contains("http://") && !page.contains("https://")
    );
    for (name, kind) in [
        ("app.js", "text/javascript"),
        ("style.css", "text/css"),
        ("syria_adm1.geojson", "application/geo+json"),
        ("syria_adm2.geojson", "application/geo+json"),
    ] {
        let (status, headers, body) = get(&app, &format!("/assets/{name}")).await;
        assert_eq!(status, StatusCode::OK, "{name}");
        assert!(headers["content-type"].to_str().unwrap().starts_with(kind));
        assert!(!body.is_empty());
    }
    let (_, _, adm1) = get(&app, "/assets/syria_adm1.geojson").await;
    let adm1: Value = serde_json::from_slice(&adm1).unwrap();
    assert_eq!(adm1["features"].as_array().unwrap().len(), 14);
    let (status, _, _) = get(&app, "/assets/..%2FCargo.toml").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_split_moves_a_report_off_into_a_new_event_and_both_log_it() {
    let mut store = store();
    let run = store.begin_run(&RunInfo::new(["second outlet"])).unwrap();
    let b = Document::new(
        "b.txt",
        "دارت اشتباكات قرب طفس غربي درعا وقتل فيها ثلاثة مقاتلين.",
    )
    .with_published(Some(Published::parse("2024-12-06").unwrap()))
    .with_source(Some("Other outlet".into()));
    let eb = sample_event(
        &b,
        SubEventType::ArmedClash,
        "2024-12-06",
        (32.752, 36.070),
        "اشتباكات",
    );
    store
        .commit_batch(run, vec![Report::new(b).with_events(vec![eb])], &[])
        .unwrap();
    let (app, token) = app_with_token_on(store);
    let (_, page) = get_json(&app, "/api/events?type=Battles").await;
    let [id] = ids(&page).try_into().unwrap();
    let (_, before) = get_json(&app, &format!("/api/events/{id}")).await;
    assert_eq!(before["corroboration"], 2);
    let lead = before["members"][0].as_str().unwrap().to_string();
    let uri = format!("/api/events/{id}/review");
    for body in [
        r#"{"action":"split"}"#.to_string(),
        r#"{"action":"split","events":[]}"#.to_string(),
        r#"{"action":"split","events":["x"],"source":"b.txt"}"#.to_string(),
        r#"{"action":"split","source":"c.txt"}"#.to_string(),
        format!(r#"{{"action":"split","events":["{lead}"]}}"#),
    ] {
        let (status, err) = post(&app, &uri, Some(&token), &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {err}");
    }
    let (status, new) = post(
        &app,
        &uri,
        Some(&token),
        r#"{"action":"split","source":"b.txt","comment":"two clashes"}"#,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{new}");
    let new_id = new["event"]["event_id"].as_str().unwrap().to_string();
    assert_ne!(new_id, id);
    assert_eq!(new["corroboration"], 1);
    assert_eq!(new["event"]["review"], "corrected");
    let reports: Vec<&str> = new["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["doc_id"].as_str().unwrap())
        .collect();
    assert_eq!(reports, ["b.txt"]);
    assert_eq!(new["history"][0]["action"], "split");
    assert_eq!(new["history"][0]["before"]["event_id"], id.as_str());
    let (_, kept) = get_json(&app, &format!("/api/events/{id}/history")).await;
    assert_eq!(kept[0]["action"], "split");
    assert_eq!(kept[0]["comment"], "two clashes");
    assert_eq!(kept[0]["after"]["corroboration"], 1);
    let (_, battles) = get_json(&app, "/api/events?type=Battles").await;
    let mut listed = ids(&battles);
    listed.sort();
    let mut want = vec![id, new_id];
    want.sort();
    assert_eq!(listed, want);
    let (_, _, csv) = get(&app, "/api/export/csv?type=Battles").await;
    let csv = String::from_utf8(csv).unwrap();
    assert_eq!(csv.lines().filter(|l| l.ends_with(",corrected")).count(), 2);
}
