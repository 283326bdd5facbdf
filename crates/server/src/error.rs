//! The server's errors: [`Error`] for starting it, [`ApiError`] for one request.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// Errors that keep the server from starting or running.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database cannot be opened or read.
    #[error(transparent)]
    Store(#[from] rasd_store::Error),
    /// The built-in gazetteer cannot be loaded.
    #[error(transparent)]
    Gazetteer(#[from] rasd_gazetteer::Error),
    /// The address cannot be listened on.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// Serving stopped on an I/O error.
    #[error("serving failed: {0}")]
    Serve(std::io::Error),
}

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What was wrong, for a person to read.
    pub error: String,
}

/// Why one request failed; each kind has its status. Internal errors are logged with their
/// detail and answered with a generic message.
#[derive(Debug)]
pub(crate) enum ApiError {
    /// A parameter or body that cannot be used (400).
    BadRequest(String),
    /// No such event or resource (404).
    NotFound(String),
    /// A write, or a read when reads need a token, without a valid token (401).
    Unauthorized,
    /// A body axum could not take (too large, not JSON, not the expected shape).
    Status(StatusCode, String),
    /// Something failed on our side (500); the detail goes to the log only.
    Internal(String),
}

impl From<rasd_store::Error> for ApiError {
    fn from(e: rasd_store::Error) -> ApiError {
        match e {
            rasd_store::Error::Query { .. } | rasd_store::Error::Review { .. } => {
                ApiError::BadRequest(e.to_string())
            }
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, m),
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, m),
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "a valid token is needed: Authorization: Bearer TOKEN".to_string(),
            ),
            ApiError::Status(status, m) => (status, m),
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal error (see the server's log)".to_string(),
                )
            }
        };
        let mut response = (status, Json(ErrorBody { error: message })).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}
