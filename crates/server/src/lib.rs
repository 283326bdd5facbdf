//! rasd's HTTP server (`rasd serve`): a JSON API over a store, its OpenAPI document, and the
//! pages that read it.
//!
//! - `/` is the map page: an offline map of Syria (OCHA's boundaries, compiled in), events
//!   aggregated on the server, a timeline with a brush, filters, a list, an event's detail with
//!   its Arabic evidence highlighted right-to-left, and reviewers' corrections. Its files are
//!   compiled into the binary; nothing is fetched from elsewhere.
//! - [`app`] builds the axum `Router` over an [`AppState`] (a few connections to one SQLite
//!   file); [`serve`] listens on an address until Ctrl-C.
//! - The API lives under `/api/`: the events with the CLI's filters, one page at a time
//!   (`/api/events`, cursor pagination), one event with its evidence and reports
//!   (`/api/events/{id}`), full-text search, monthly statistics, the map's grid, the
//!   gazetteer's places, and downloads in every export format (`/api/export/{format}`).
//! - [`openapi::document`] is the OpenAPI 3.1 document, generated from the handlers (utoipa)
//!   and the event contract's JSON Schema, served at `/openapi.json`; `/docs` renders it.
//!
//! Reviewers correct events with `POST /api/events/{id}/review` and a token
//! (`Authorization: Bearer …`, made by `rasd token add`); reads are open unless
//! [`AppState::reads_need_token`] is set.
//!
//! Every response carries a Content-Security-Policy that allows only the server's own
//! scripts, styles and data; request bodies are limited to [`BODY_LIMIT`] bytes; no CORS
//! header is sent, so other sites' pages cannot read the API. Values from requests reach the
//! store only as typed filter fields, never as SQL text.
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use tower::ServiceExt;
//! let store = rasd_store::SqliteStore::open_in_memory().unwrap();
//! let app = rasd_server::app(rasd_server::AppState::with_store(store));
//! let request = axum::http::Request::get("/api/events").body(axum::body::Body::empty()).unwrap();
//! let response = app.oneshot(request).await.unwrap();
//! assert_eq!(response.status(), 200);
//! # });
//! ```
#![deny(missing_docs)]

mod api;
mod assets;
mod auth;
mod download;
mod error;
pub mod openapi;
mod pool;
mod query;
mod review;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

pub use auth::{new_token, token_hash};
pub use error::{Error, ErrorBody};
pub use query::{EventQuery, PageQuery};

use pool::Pool;
pub use pool::SharedStore;

/// The largest request body accepted, in bytes.
pub const BODY_LIMIT: usize = 64 * 1024;

/// The Content-Security-Policy of every response: the server's own files and data only, no
/// inline script, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// What the handlers share: the store's connections and the OpenAPI document.
pub struct AppState {
    pool: Arc<Pool>,
    openapi: bytes::Bytes,
    reads_need_token: bool,
}

impl AppState {
    /// A state over connections to one database already open (SQLite or PostgreSQL: the
    /// handlers need only the [`rasd_store::Store`] trait), shared round-robin.
    pub fn with_stores(stores: Vec<SharedStore>) -> AppState {
        AppState::new(Pool::new(stores))
    }

    /// A state over one store already open (an in-memory one, in tests).
    pub fn with_store(store: impl rasd_store::Store + Send + 'static) -> AppState {
        AppState::with_stores(vec![Box::new(store)])
    }

    fn new(pool: Pool) -> AppState {
        let openapi = serde_json::to_vec(&openapi::document()).unwrap_or_default();
        AppState {
            pool: Arc::new(pool),
            openapi: openapi.into(),
            reads_need_token: false,
        }
    }

    /// Makes reads of the API need a token too (writes always do).
    pub fn reads_need_token(mut self, yes: bool) -> AppState {
        self.reads_need_token = yes;
        self
    }
}

async fn openapi_json(
    axum::extract::State(state): axum::extract::State<Arc<AppState>>,
) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        state.openapi.clone(),
    )
        .into_response()
}

/// Adds the security headers to every response.
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// Refuses reads of the API without a valid token, when the server was started so.
async fn read_guard(
    axum::extract::State(state): axum::extract::State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    if state.reads_need_token && request.uri().path().starts_with("/api/") {
        let headers = request.headers().clone();
        let checked = state
            .pool
            .run(move |store| auth::authenticate(store, &headers))
            .await;
        if let Err(e) = checked {
            return e.into_response();
        }
    }
    next.run(request).await
}

/// The API's answer to a path it does not know.
async fn not_found() -> Response {
    error::ApiError::NotFound("no such path".into()).into_response()
}

/// The server's routes over a state.
pub fn app(state: AppState) -> Router {
    let state = Arc::new(state);
    Router::new()
        .route("/api/events", get(api::list_events))
        .route("/api/events/{event_id}", get(api::event_detail))
        .route("/api/events/{event_id}/review", post(review::review))
        .route("/api/events/{event_id}/history", get(review::history))
        .route("/api/search", get(api::search))
        .route("/api/stats/monthly", get(api::monthly))
        .route("/api/map", get(api::map))
        .route("/api/places", get(api::places))
        .route("/api/export/{format}", get(download::export))
        .route("/openapi.json", get(openapi_json))
        .route("/", get(assets::index_page))
        .route("/docs", get(assets::docs_page))
        .route("/assets/{name}", get(assets::asset))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state),
            read_guard,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(security_headers))
        .with_state(state)
}

/// Serves `state` on `addr` until Ctrl-C (or SIGTERM), then finishes the requests under way.
///
/// # Errors
/// When the address cannot be listened on, or serving fails.
pub async fn serve(addr: SocketAddr, state: AppState) -> Result<(), Error> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| Error::Bind {
            addr: addr.to_string(),
            source,
        })?;
    let local = listener.local_addr().map_err(Error::Serve)?;
    tracing::info!(addr = %local, "serving");
    eprintln!("rasd: serving on http://{local}/ (Ctrl-C stops)");
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(Error::Serve)
}

async fn shutdown() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
