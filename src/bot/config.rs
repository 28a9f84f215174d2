//! How the bot runs: its token (a secret that never prints), the Bot API server, the
//! database, polling or webhook, the limits it keeps, and how long it waits and retries.
//! Every duration is a knob, so that tests can run the same code fast.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

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

/// A user typing more than `max` questions within `window` (by the messages' own dates)
/// gets one notice; what they ask during the next `pause` is answered when it ends (at
/// most `max` questions of it).
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

/// Telegram's limits on what a bot sends: about one message a second in a chat, 20 a
/// minute in a group, 30 a second overall (core.telegram.org/bots/faq). Edits count too.
#[derive(Debug, Clone, Copy)]
pub struct RateLimits {
    pub per_chat_per_sec: u32,
    pub per_group_per_min: u32,
    pub overall_per_sec: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            per_chat_per_sec: 1,
            per_group_per_min: 20,
            overall_per_sec: 30,
        }
    }
}

/// Retrying after a transient failure: `first`, then twice as long each time, at most
/// `max` — so the bot is back within `max` of the API answering again.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    pub first: Duration,
    pub max: Duration,
}

impl Backoff {
    /// The wait before retry number `failures` (1 for the first retry).
    pub fn delay(&self, failures: u32) -> Duration {
        let doubled = self
            .first
            .saturating_mul(1u32 << failures.saturating_sub(1).min(16));
        doubled.min(self.max)
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            first: Duration::from_millis(500),
            max: Duration::from_secs(4),
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
    /// Telegram's limits on outgoing messages, kept by the sender.
    pub limits: RateLimits,
    pub flood: FloodLimit,
    /// Transient failures (polling and delivery) are retried with this back-off.
    pub retry: Backoff,
    /// How long one request may take (a long poll gets its poll timeout on top).
    pub request_timeout: Duration,
    /// After the first Ctrl-C or SIGTERM, how long the bot may still deliver; what is
    /// left is kept for the next start.
    pub shutdown_grace: Duration,
    /// Messages waiting for one group beyond which its new questions are not answered
    /// (the group is told once): at 20 a minute, more would be answered too late.
    pub group_backlog: usize,
    /// The corpus folder, loaded again on SIGHUP and `/reload` (none: no reloading).
    pub faq: Option<PathBuf>,
    /// Telegram user ids of the operators: `/reload` and `/review` from them, in a
    /// private chat.
    pub admins: Vec<u64>,
    /// How often the bot looks for review decisions made with `yibao-bot review`.
    pub review_poll: Duration,
    /// When polling: serve `/metrics` and `/healthz` here (the webhook server always
    /// does).
    pub metrics: Option<SocketAddr>,
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
            limits: RateLimits::default(),
            flood: FloodLimit::default(),
            retry: Backoff::default(),
            request_timeout: Duration::from_secs(10),
            shutdown_grace: Duration::from_secs(4),
            group_backlog: 10,
            faq: None,
            admins: Vec::new(),
            review_poll: Duration::from_secs(5),
            metrics: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_up_to_its_cap() {
        let b = Backoff::default();
        let secs: Vec<f64> = (1..=6).map(|n| b.delay(n).as_secs_f64()).collect();
        assert_eq!(secs, [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]);
        assert_eq!(b.delay(u32::MAX), b.max);
    }
}
