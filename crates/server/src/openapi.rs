//! The OpenAPI 3.1 document, generated from the handlers and body types.
//!
//! utoipa describes the API's own types; the event contract's schema comes from
//! `rasd_core::event_schema` (schemars, the same schema as `docs/event.schema.json`) and is
//! set into the document's components under `Event`, with its definitions beside it, so the
//! API and the contract cannot drift apart.

use std::borrow::Cow;

use serde_json::Value;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ObjectBuilder, RefOr, Schema};
use utoipa::OpenApi;

use crate::{api, download, review};

/// Declares the bearer token the review endpoints need.
struct TokenScheme;

impl utoipa::Modify for TokenScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Stands for `rasd_core::Event` in the generated document: a reference to the `Event`
/// component, whose schema [`document`] fills from the contract's JSON Schema.
pub struct EventSchema;

impl utoipa::PartialSchema for EventSchema {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new().into()
    }
}

impl utoipa::ToSchema for EventSchema {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Event")
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "rasd",
        description = "Conflict events coded from Arabic news reports about Syria, with the \
                       evidence behind each field. Reads are open unless the server was started \
                       to require a token."
    ),
    paths(
        api::list_events,
        api::event_detail,
        api::search,
        api::monthly,
        api::map,
        api::places,
        download::export,
        review::review,
        review::history,
    ),
    modifiers(&TokenScheme),
    components(schemas(EventSchema, crate::error::ErrorBody)),
    tags(
        (name = "events", description = "The dataset"),
        (name = "reports", description = "The reports behind it"),
        (name = "places", description = "The gazetteer"),
        (name = "review", description = "Reviewers' corrections"),
    )
)]
struct ApiDoc;

/// Rewrites the `$ref`s of a schemars schema (`#/$defs/X`) to the document's components.
fn rebase_refs(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match (key.as_str(), value) {
                    ("$ref", Value::String(r)) => {
                        if let Some(name) = r.strip_prefix("#/$defs/") {
                            *r = format!("#/components/schemas/{name}");
                        }
                    }
                    (_, value) => rebase_refs(value),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(rebase_refs),
        _ => {}
    }
}

/// The OpenAPI document served at `/openapi.json`.
pub fn document() -> Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or(Value::Null);
    let mut event = rasd_core::event_schema();
    rebase_refs(&mut event);
    if let (Some(schemas), Value::Object(mut event)) = (
        doc.pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut),
        event,
    ) {
        if let Some(Value::Object(defs)) = event.remove("$defs") {
            schemas.extend(defs);
        }
        event.remove("$schema");
        schemas.insert("Event".into(), Value::Object(event));
    }
    if let Some(info) = doc.pointer_mut("/info").and_then(Value::as_object_mut) {
        info.insert("version".into(), Value::from(env!("CARGO_PKG_VERSION")));
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reference_resolves_inside_the_document() {
        let doc = document();
        assert_eq!(doc["openapi"].as_str().map(|v| &v[..3]), Some("3.1"));
        let mut refs = Vec::new();
        fn walk(v: &Value, refs: &mut Vec<String>) {
            match v {
                Value::Object(m) => m.iter().for_each(|(k, v)| match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => refs.push(r.clone()),
                    _ => walk(v, refs),
                }),
                Value::Array(a) => a.iter().for_each(|v| walk(v, refs)),
                _ => {}
            }
        }
        walk(&doc, &mut refs);
        assert!(refs.iter().any(|r| r == "#/components/schemas/Event"));
        for r in refs {
            let pointer = r.trim_start_matches('#');
            assert!(doc.pointer(pointer).is_some(), "{r} does not resolve");
        }
        assert!(doc["components"]["schemas"]["Event"]["properties"]["evidence"].is_object());
    }
}
