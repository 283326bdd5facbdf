//! The static files of the pages, compiled into the binary: nothing is fetched at run time.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// A compiled-in file: its name under `/assets/`, its media type and its bytes.
struct Asset {
    name: &'static str,
    media_type: &'static str,
    bytes: &'static [u8],
}

macro_rules! asset {
    ($name:literal, $media_type:literal) => {
        asset!($name, $media_type, concat!("../assets/", $name))
    };
    ($name:literal, $media_type:literal, $path:expr) => {
        Asset {
            name: $name,
            media_type: $media_type,
            bytes: include_bytes!($path),
        }
    };
}

/// Every file under `/assets/`.
const ASSETS: &[Asset] = &[
    asset!("app.js", "text/javascript; charset=utf-8"),
    asset!("style.css", "text/css; charset=utf-8"),
    asset!("docs.css", "text/css; charset=utf-8"),
    asset!("docs.js", "text/javascript; charset=utf-8"),
    // OCHA's boundaries, derived by scripts/derive_map.py (see data/map/NOTICE).
    asset!(
        "syria_adm1.geojson",
        "application/geo+json",
        "../../../data/map/syria_adm1.geojson"
    ),
    asset!(
        "syria_adm2.geojson",
        "application/geo+json",
        "../../../data/map/syria_adm2.geojson"
    ),
];

fn html(bytes: &'static [u8]) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], bytes).into_response()
}

/// The map page.
pub(crate) async fn index_page() -> Response {
    html(include_bytes!("../assets/index.html"))
}

/// The API's docs page.
pub(crate) async fn docs_page() -> Response {
    html(include_bytes!("../assets/docs.html"))
}

/// A file under `/assets/`.
pub(crate) async fn asset(Path(name): Path<String>) -> Result<Response, ApiError> {
    let asset = ASSETS
        .iter()
        .find(|a| a.name == name)
        .ok_or_else(|| ApiError::NotFound(format!("no asset {name}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, asset.media_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        asset.bytes,
    )
        .into_response())
}
