//! Webhook mode: Telegram posts each update to our URL. The secret header is checked,
//! the update read on its own ([`incoming`]) and handled, and only then answered 200 —
//! also for an update that cannot be read, so that Telegram does not send it again and
//! again. `GET /healthz` (for a load balancer) and `GET /metrics` are [`status`]'s.
//!
//! [`status`]: super::status

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tracing::{debug, warn};
use url::Url;

use super::api::Api;
use super::chats::Chats;
use super::incoming::{self, Why};
use super::{BotError, stopped};

/// The header Telegram sends the secret in.
const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// A webhook that is set and listened for.
pub struct Hook {
    tcp: TcpListener,
    path: String,
    secret: String,
}

impl Hook {
    /// Listens on `listen`, then tells Telegram to post to `url` with `secret` (a random
    /// one when `None`).
    pub async fn set_up(
        api: &Api,
        url: &Url,
        listen: SocketAddr,
        secret: Option<String>,
        timeout: Duration,
    ) -> Result<Hook, BotError> {
        let tcp = TcpListener::bind(listen)
            .await
            .map_err(|source| BotError::Listen {
                addr: listen,
                source,
            })?;
        let secret = secret.unwrap_or_else(random_secret);
        let body = serde_json::json!({
            "url": url.as_str(),
            "secret_token": secret,
            "allowed_updates": incoming::KINDS,
        });
        api.call_raw(
            "setWebhook",
            serde_json::to_vec(&body).unwrap_or_default(),
            timeout,
        )
        .await
        .map_err(BotError::SetWebhook)?;
        let path = match url.path() {
            "" => "/".to_string(),
            p => p.to_string(),
        };
        Ok(Hook { tcp, path, secret })
    }
}

#[derive(Clone)]
struct Receiver {
    secret: Arc<str>,
    chats: Arc<Chats>,
}

/// Serves the webhook until stopped.
pub async fn serve(
    hook: Hook,
    chats: Arc<Chats>,
    status: axum::Router,
    mut stop: watch::Receiver<bool>,
) -> Result<(), BotError> {
    let receiver = Receiver {
        secret: hook.secret.into(),
        chats,
    };
    let router = axum::Router::new()
        .route(&hook.path, axum::routing::post(receive))
        .with_state(receiver)
        .merge(status);
    axum::serve(hook.tcp, router)
        .with_graceful_shutdown(async move { stopped(&mut stop).await })
        .await
        .map_err(BotError::Webhook)
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let given = headers.get(SECRET_HEADER).map(|v| v.as_bytes());
    if !given.is_some_and(|g| same(g, r.secret.as_bytes())) {
        return StatusCode::UNAUTHORIZED;
    }
    let update = std::str::from_utf8(&body)
        .map_err(|_| incoming::Skipped {
            id: None,
            why: Why::NoUpdate,
        })
        .and_then(incoming::update);
    match update {
        Ok(update) => {
            let _ = r.chats.submit(update).await;
        }
        Err(skipped) if skipped.why == Why::NotAskedFor => debug!("{skipped}"),
        Err(skipped) => warn!("{skipped}"),
    }
    StatusCode::OK
}

/// Compares secrets in time independent of where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// 32 random characters of Telegram's alphabet for secrets (A-Z, a-z, 0-9, `_`, `-`).
fn random_secret() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    let mut bytes = [0u8; 32];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes)
        .expect("the system's random number generator works");
    bytes
        .iter()
        .map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_and_random_ones_are_valid() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd") && !same(b"abc", b"ab"));
        let s = random_secret();
        assert_eq!(s.len(), 32);
        assert!(
            s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        );
        assert_ne!(s, random_secret());
    }
}
