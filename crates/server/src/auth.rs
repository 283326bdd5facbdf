//! API tokens: made at random, shown once, stored as a SHA-256 hash, checked in constant time.
//!
//! A token is 32 random bytes written as 64 hex digits after `rasd_`. Its entropy makes a
//! plain SHA-256 hash enough (there is nothing to guess a dictionary of). A request's token is
//! hashed and compared with every stored hash with `subtle`'s constant-time equality, so the
//! time taken says nothing of how much of a hash matched.

use axum::http::{header, HeaderMap};
use rasd_store::{Role, Store, TokenRecord};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::ApiError;

/// What a token's bearer is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Bearer {
    /// The token's name (recorded as the reviewer in the audit log).
    pub name: String,
    /// Its role.
    pub role: Role,
}

/// A new token, `rasd_` and 64 hex digits of the system's randomness.
///
/// # Errors
/// When the system has no randomness to give.
pub fn new_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    let mut token = String::with_capacity(5 + 64);
    token.push_str("rasd_");
    for b in bytes {
        token.push_str(&format!("{b:02x}"));
    }
    Ok(token)
}

/// The hash stored for a token: SHA-256, in hex.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The token of an `Authorization: Bearer …` header, if the request has one.
fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// Who the request's token belongs to; 401 when it has none or an unknown one.
pub(crate) fn authenticate(store: &dyn Store, headers: &HeaderMap) -> Result<Bearer, ApiError> {
    let token = bearer_token(headers).ok_or(ApiError::Unauthorized)?;
    let hash = token_hash(token);
    let tokens: Vec<TokenRecord> = store.tokens()?;
    let mut found: Option<&TokenRecord> = None;
    for t in &tokens {
        // Every stored hash is compared, whichever matches.
        if bool::from(t.hash.as_bytes().ct_eq(hash.as_bytes())) {
            found = Some(t);
        }
    }
    found
        .map(|t| Bearer {
            name: t.name.clone(),
            role: t.role,
        })
        .ok_or(ApiError::Unauthorized)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_only_their_hash_matches() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("rasd_") && a.len() == 69);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), token_hash(&b));
        assert_eq!(token_hash(&a).len(), 64);
    }

    #[test]
    fn only_a_bearer_header_carries_a_token() {
        let mut h = HeaderMap::new();
        assert_eq!(bearer_token(&h), None);
        h.insert(header::AUTHORIZATION, "Basic abc".parse().unwrap());
        assert_eq!(bearer_token(&h), None);
        h.insert(header::AUTHORIZATION, "Bearer  rasd_1 ".parse().unwrap());
        assert_eq!(bearer_token(&h), Some("rasd_1"));
        h.insert(header::AUTHORIZATION, "bearer ".parse().unwrap());
        assert_eq!(bearer_token(&h), None);
    }
}
