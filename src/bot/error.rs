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

impl BotError {
    /// A configuration error, which starting again will not fix (a refused token, a
    /// database from a newer yibao-bot): the binary exits with status 2 for these, which
    /// the systemd unit does not restart on.
    pub fn is_configuration(&self) -> bool {
        matches!(
            self,
            BotError::Unauthorized(_) | BotError::Store(StoreError::Newer { .. })
        )
    }
}

/// An error and its causes on one line, as a log line wants it: "what: why: why" — a
/// cause that only repeats the one before (SQLite's "Error code 13: database or disk is
/// full" after "database or disk is full") is left out.
pub fn one_line(err: &(dyn std::error::Error + 'static)) -> String {
    let mut line = err.to_string();
    let mut last = line.clone();
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !text.ends_with(&last) && !last.ends_with(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
        last = text;
        source = cause.source();
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_that_repeats_the_last_is_left_out() {
        let sqlite = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(13),
            Some("database or disk is full".into()),
        );
        let err = StoreError::Query(sqlite);
        assert_eq!(
            one_line(&err),
            "database query failed: database or disk is full"
        );
    }
}
