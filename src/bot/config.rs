//! How the bot runs: its token (a secret that never prints), the Bot API server, the
//! database, polling or webhook, and the limits it keeps.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use teloxide::adaptors::throttle::Limits;
use url::Url;

/// The bot token. Its `Debug` and `Display` never show it, so it cannot end up in a log
/// line by accident; only [`Token::expose`] hands it to teloxide.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    pub fn new(token: impl Into<String>) -> Token {
        Token(token.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<hidden>)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<hidden>")
    }
}

/// How updates arrive.
#[derive(Debug, Clone)]
pub enum Mode {
    /// Long polling (`getUpdates`), with this timeout per request.
    Polling { timeout: Duration },
    /// Telegram posts updates to `url`; we listen on `listen`, check Telegram's
    /// `X-Telegram-Bot-Api-Secret-Token` header against `secret`, and answer
    /// `GET /healthz`.
    Webhook {
        url: Url,
        listen: SocketAddr,
        secret: Option<String>,
    },
}

/// A user sending more than `max` questions within `window` gets one notice and is
/// ignored for `pause`.
#[derive(Debug, Clone, Copy)]
pub struct FloodLimit {
    pub max: usize,
    pub window: Duration,
    pub pause: Duration,
}

impl Default for FloodLimit {
    fn default() -> Self {
        FloodLimit {
            max: 5,
            window: Duration::from_secs(30),
            pause: Duration::from_secs(60),
        }
    }
}

/// Everything `serve` needs besides the corpus.
#[derive(Debug, Clone)]
pub struct Config {
    pub token: Token,
    /// A local Bot API server or a test fake; Telegram's own when `None`.
    pub api_url: Option<Url>,
    pub db: PathBuf,
    pub mode: Mode,
    /// Unanswered questions are kept this long.
    pub retention_days: u32,
    /// Telegram's limits on outgoing messages, kept by teloxide's `Throttle`.
    pub limits: Limits,
    pub flood: FloodLimit,
}

impl Config {
    /// Polling against Telegram with the default limits and a database at `db`.
    pub fn new(token: Token, db: PathBuf) -> Config {
        Config {
            token,
            api_url: None,
            db,
            mode: Mode::Polling {
                timeout: Duration::from_secs(10),
            },
            retention_days: 90,
            limits: Limits::default(),
            flood: FloodLimit::default(),
        }
    }
}
