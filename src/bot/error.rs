//! What can go wrong in the bot layer, typed: the binary adds context at its edge, and a
//! handler's error is logged without stopping the bot.

use std::net::SocketAddr;

use super::api::Failure;
use super::store::StoreError;

impl std::error::Error for Failure {}

#[derive(Debug, thiserror::Error)]
pub enum BotError {
    /// The first request at start-up failed: nothing works without it.
    #[error("cannot reach the Bot API (getMe failed); check TELOXIDE_TOKEN and TELOXIDE_API_URL")]
    GetMe(#[source] Failure),
    /// Telegram no longer accepts the token (revoked, or another bot's).
    #[error("Telegram refused the bot token; check TELOXIDE_TOKEN")]
    Unauthorized(#[source] Failure),
    #[error("setWebhook failed")]
    SetWebhook(#[source] Failure),
    #[error("cannot listen on {addr}")]
    Listen {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("the webhook server stopped")]
    Webhook(#[source] std::io::Error),
    /// A call answered at once while handling an update (an admin check, say).
    #[error("Telegram request failed")]
    Telegram(#[from] Failure),
    /// The answer engine panicked on a question.
    #[error("the answer engine failed on a question")]
    Engine,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An error and its causes on one line, as a log line wants it: "what: why: why".
pub fn one_line(err: &(dyn std::error::Error + 'static)) -> String {
    let mut line = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        line.push_str(": ");
        line.push_str(&cause.to_string());
        source = cause.source();
    }
    line
}
