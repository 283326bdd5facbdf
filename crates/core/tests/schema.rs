//! The committed JSON Schema of the event record must match the types.
//! Regenerate with `RASD_BLESS=1 cargo test -p rasd-core --test schema`.

use std::path::PathBuf;

#[test]
fn committed_event_schema_is_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/event.schema.json");
    let generated = serde_json::to_string_pretty(&rasd_core::event_schema()).unwrap() + "\n";
    if std::env::var_os("RASD_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/event.schema.json is stale: run RASD_BLESS=1 cargo test -p rasd-core --test schema"
    );
}
