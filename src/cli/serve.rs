//! `yibao-bot serve` (and plain `yibao-bot` when a token is set): runs the Telegram bot.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use url::Url;
use yibao_bot::{Config, Mode, Token, run_bot};

use super::FaqArg;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub faq: FaqArg,
    /// SQLite database (created on first run)
    #[arg(
        long,
        env = "YIBAO_DB",
        default_value = "yibao.db",
        value_name = "PATH"
    )]
    pub db: PathBuf,
    /// Receive updates by webhook at this public HTTPS URL instead of long polling
    #[arg(long, env = "YIBAO_WEBHOOK_URL", value_name = "URL")]
    pub webhook_url: Option<Url>,
    /// Address the webhook server listens on (it also serves GET /healthz)
    #[arg(
        long,
        env = "YIBAO_LISTEN",
        default_value = "0.0.0.0:8443",
        value_name = "ADDR"
    )]
    pub listen: SocketAddr,
    /// Secret Telegram sends in X-Telegram-Bot-Api-Secret-Token (webhook mode; a random
    /// one when not given)
    #[arg(
        long,
        env = "YIBAO_WEBHOOK_SECRET",
        value_name = "SECRET",
        hide_env_values = true,
        value_parser = webhook_secret
    )]
    pub webhook_secret: Option<String>,
    /// Days to keep unanswered questions
    #[arg(
        long,
        env = "YIBAO_RETENTION_DAYS",
        default_value_t = 90,
        value_name = "DAYS"
    )]
    pub retention_days: u32,
}

/// Telegram's rule for the secret token: 1–256 of A-Z, a-z, 0-9, `_` and `-`.
fn webhook_secret(s: &str) -> Result<String, String> {
    let ok = (1..=256).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok(s.to_string())
    } else {
        Err("1 to 256 characters, only A-Z, a-z, 0-9, _ and -".into())
    }
}

/// Said instead of starting when there is no token.
pub const NO_TOKEN: &str = "yibao-bot: no bot token. Create a bot with @BotFather in Telegram (/newbot), then run \
    `TELOXIDE_TOKEN=<token> yibao-bot serve`; to try the answer engine without Telegram: \
    `yibao-bot ask \"<your question>\"`.";

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let Some(token) = std::env::var("TELOXIDE_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty())
    else {
        eprintln!("{NO_TOKEN}");
        return Ok(ExitCode::from(2));
    };
    let api_url = match std::env::var("TELOXIDE_API_URL") {
        Ok(url) if !url.trim().is_empty() => Some(
            Url::parse(&url).with_context(|| format!("TELOXIDE_API_URL is not a URL: {url}"))?,
        ),
        _ => None,
    };
    // Refuse an invalid corpus before talking to Telegram.
    let matcher = args.faq.load()?;
    let mut config = Config::new(Token::new(token.trim()), args.db);
    config.api_url = api_url;
    config.retention_days = args.retention_days;
    if let Some(url) = args.webhook_url {
        config.mode = Mode::Webhook {
            url,
            listen: args.listen,
            secret: args.webhook_secret,
        };
    }

    init_logging();
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(run_bot(config, matcher, shutdown_signal()))?;
    Ok(ExitCode::SUCCESS)
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
    tracing::info!("shutting down");
}

/// Logs to stderr; `RUST_LOG` chooses the level (info by default).
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
