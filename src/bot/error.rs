//! What can go wrong in the bot layer, typed: the binary adds context at its edge, and a
//! handler's error is logged by the dispatcher without stopping the bot.

use std::net::SocketAddr;

use teloxide::RequestError;

use super::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum BotError {
    /// The first request at start-up failed: nothing works without it.
    #[error("cannot reach the Bot API (getMe failed); check TELOXIDE_TOKEN and TELOXIDE_API_URL")]
    GetMe(#[source] RequestError),
    #[error("setMyCommands failed")]
    SetCommands(#[source] RequestError),
    #[error("setWebhook failed")]
    SetWebhook(#[source] RequestError),
    #[error("cannot listen on {addr}")]
    Listen {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    /// A request made while handling an update.
    #[error("Telegram request failed")]
    Telegram(#[from] RequestError),
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
