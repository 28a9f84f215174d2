//! The bot end to end: the real bot, driven over HTTP through a fake Bot API that can
//! misbehave.

mod delivery;
mod fake_api;
mod flood;
mod groups;
mod hostile;
mod inline;
mod manners;
mod metrics;
mod private;
mod recovery;
mod reload;
mod resilience;
mod review;
mod serve;
mod shape;
mod storage;
mod transcript;
mod updates;
mod webhook;

use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::sync::oneshot;
use yibao_bot::Matcher;
use yibao_bot::{Backoff, Config, FloodLimit, Mode, RateLimits, Token};

use crate::common::faq_dir;
use fake_api::FakeApi;

/// Shaped like a real token (35 characters after the colon), which teloxide redacts
/// differently from short ones.
pub const TOKEN: &str = "1234567890:AAHtESt-ToKeN_never_LOGGED_0123456789a";
/// The secret part, which must appear in no log line.
pub const TOKEN_SECRET: &str = "AAHtESt-ToKeN_never_LOGGED_0123456789a";

/// A bot running against a fake API, with its own database.
pub struct Harness {
    pub api: FakeApi,
    pub db: PathBuf,
    /// What it was started with, for a restart.
    config: Config,
    _dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<Result<(), yibao_bot::BotError>>>,
}

/// Limits high enough not to slow tests down (the real ones allow one message per second
/// per chat).
pub fn test_limits() -> RateLimits {
    RateLimits {
        per_chat_per_sec: 100,
        per_group_per_min: 1000,
        overall_per_sec: 100,
    }
}

/// Short waits everywhere, so that faults are recovered from in test time.
pub fn test_config(api: &FakeApi, db: &Path) -> Config {
    let mut config = Config::new(Token::new(TOKEN), db.to_path_buf());
    config.api_url = Some(api.url.parse().unwrap());
    config.mode = Mode::Polling {
        timeout: Duration::from_secs(1),
    };
    config.limits = test_limits();
    config.flood = FloodLimit::default();
    config.retry = Backoff {
        first: Duration::from_millis(20),
        max: Duration::from_millis(200),
    };
    config.request_timeout = Duration::from_secs(2);
    config.shutdown_grace = Duration::from_secs(1);
    config
}

impl Harness {
    /// A fake API (the bot can read all group messages if `can_read_all`) and a bot.
    pub async fn start(can_read_all: bool) -> Harness {
        Harness::build(FakeApi::start(can_read_all).await, |_| {}).await
    }

    /// A fake API and a bot started with `configure` applied to the test configuration.
    pub async fn start_with(configure: impl FnOnce(&mut Config)) -> Harness {
        Harness::build(FakeApi::start(false).await, configure).await
    }

    async fn build(api: FakeApi, configure: impl FnOnce(&mut Config)) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("bot.db");
        let mut config = test_config(&api, &db);
        configure(&mut config);
        let mut h = Harness {
            api,
            db: config.db.clone(),
            config: config.clone(),
            _dir: dir,
            stop: None,
            handle: None,
        };
        h.launch(config).await;
        h
    }

    async fn launch(&mut self, config: Config) {
        let matcher = Matcher::load(&faq_dir()).expect("shipped corpus");
        let (stop, stopped) = oneshot::channel::<()>();
        // Ready once it polls (or, with a webhook, once the webhook is set).
        let ready = match config.mode {
            Mode::Polling { .. } => "getupdates",
            Mode::Webhook { .. } => "setwebhook",
        };
        let before = self.api.calls_of(ready).len();
        self.handle = Some(tokio::spawn(yibao_bot::run_bot(
            config,
            matcher,
            async move {
                let _ = stopped.await;
            },
        )));
        self.stop = Some(stop);
        self.api.wait_for(ready, before + 1).await;
    }

    /// Stops the bot and waits for it to finish cleanly.
    pub async fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(handle) = self.handle.take() {
            let result = tokio::time::timeout(Duration::from_secs(15), handle)
                .await
                .expect("the bot stops within 15 s")
                .expect("the bot task did not panic");
            result.expect("the bot ran without error");
        }
    }

    /// Stops the bot and starts a new one on the same API, database and configuration.
    pub async fn restart(&mut self) {
        self.stop().await;
        self.launch(self.config.clone()).await;
    }

    /// Sends an update and waits for the `n`-th `sendMessage` overall; returns it.
    pub async fn expect_message(&self, update: serde_json::Value, n: usize) -> fake_api::Call {
        self.api.push(update);
        self.api.wait_for("sendmessage", n).await.remove(n - 1)
    }

    /// Sends an update and waits for the `n`-th `editMessageText` overall; returns it.
    pub async fn expect_edit(&self, update: serde_json::Value, n: usize) -> fake_api::Call {
        self.api.push(update);
        self.api.wait_for("editmessagetext", n).await.remove(n - 1)
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Telegram's rendering of our HTML, near enough for reading: tags dropped, entities
/// decoded.
pub fn as_read(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The text of a sendMessage call.
pub fn text(call: &fake_api::Call) -> &str {
    call.body["text"].as_str().unwrap_or_default()
}

/// All button texts of a message's inline keyboard, row by row.
pub fn buttons(call: &fake_api::Call) -> Vec<Vec<String>> {
    call.body["reply_markup"]["inline_keyboard"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|row| {
                    row.as_array()
                        .unwrap()
                        .iter()
                        .map(|b| b["text"].as_str().unwrap_or_default().to_string())
                        .collect()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The callback data of the button whose text contains `label`.
pub fn button_data(call: &fake_api::Call, label: &str) -> String {
    for row in call.body["reply_markup"]["inline_keyboard"]
        .as_array()
        .expect("a keyboard")
    {
        for b in row.as_array().unwrap() {
            if b["text"].as_str().unwrap_or_default().contains(label) {
                return b["callback_data"]
                    .as_str()
                    .expect("callback data")
                    .to_string();
            }
        }
    }
    panic!("no button «{label}» in {:?}", buttons(call));
}
