//! `yibao-bot serve` (and plain `yibao-bot` when a token is set): runs the Telegram bot.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use url::Url;
use yibao_bot::{Config, Mode, Token, run_bot_reloading};

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
        hide_env_values = true
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
    /// Telegram user ids (comma-separated) allowed /reload in a private chat with the bot
    #[arg(long, env = "YIBAO_ADMINS", value_delimiter = ',', value_name = "IDS")]
    pub admins: Vec<u64>,
    /// When polling: serve GET /metrics (Prometheus) and /healthz on this address (the
    /// webhook server serves both anyway)
    #[arg(long, env = "YIBAO_METRICS", value_name = "ADDR")]
    pub metrics: Option<SocketAddr>,
    /// Log format: plain lines, or one JSON object per line for log shippers
    #[arg(long, env = "YIBAO_LOG_FORMAT", value_enum, default_value = "plain")]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Plain,
    Json,
}

/// Telegram's rule for the secret token: 1–256 of A-Z, a-z, 0-9, `_` and `-`.
fn valid_webhook_secret(s: &str) -> bool {
    (1..=256).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Said when a setting is refused; the value is never shown (it may be a secret).
const BAD_SECRET: &str = "yibao-bot: --webhook-secret (YIBAO_WEBHOOK_SECRET) is not valid: it must be 1 to 256 characters, only A-Z, a-z, 0-9, _ and - (the value is not shown)";
const BAD_API_URL: &str = "yibao-bot: TELOXIDE_API_URL is not a valid URL, such as http://127.0.0.1:8081 (the value is not shown: it may hold the token)";

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
    if args
        .webhook_secret
        .as_deref()
        .is_some_and(|s| !valid_webhook_secret(s))
    {
        eprintln!("{BAD_SECRET}");
        return Ok(ExitCode::from(2));
    }
    let api_url = match std::env::var("TELOXIDE_API_URL") {
        Ok(url) if !url.trim().is_empty() => match Url::parse(url.trim()) {
            Ok(url) if url.scheme() == "http" || url.scheme() == "https" => Some(url),
            _ => {
                eprintln!("{BAD_API_URL}");
                return Ok(ExitCode::from(2));
            }
        },
        _ => None,
    };
    // Refuse an invalid corpus before talking to Telegram.
    let matcher = args.faq.load()?;
    let mut config = Config::new(Token::new(token.trim()), args.db);
    config.api_url = api_url;
    config.retention_days = args.retention_days;
    config.faq = Some(args.faq.faq.clone());
    config.admins = args.admins;
    config.metrics = args.metrics;
    if let Some(url) = args.webhook_url {
        config.mode = Mode::Webhook {
            url,
            listen: args.listen,
            secret: args.webhook_secret,
        };
    }

    init_logging(args.log_format);
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let result = runtime.block_on(async {
        // The first Ctrl-C or SIGTERM stops the bot gracefully (within its grace); a
        // second one exits at once. Either way, what is not delivered stays in the
        // database for the next start.
        let (first, stop) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let mut signals = Signals::new();
            signals.next().await;
            let _ = first.send(());
            signals.next().await;
            tracing::warn!(
                "second stop signal: exiting now; replies not yet delivered are kept for the next start"
            );
            std::process::exit(0);
        });
        // SIGHUP (systemd's ExecReload) loads the corpus folder again.
        let (reload, reloads) = tokio::sync::mpsc::channel(1);
        #[cfg(unix)]
        if let Ok(mut hangups) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
        {
            tokio::spawn(async move {
                while hangups.recv().await.is_some() {
                    // One waiting is enough: it loads the folder as it is then.
                    let _ = reload.try_send(());
                }
            });
        }
        #[cfg(not(unix))]
        drop(reload);
        run_bot_reloading(config, matcher, async {
            let _ = stop.await;
        }, reloads)
        .await
    });
    // Engine work still running on a blocking thread is not waited for.
    runtime.shutdown_timeout(std::time::Duration::from_millis(500));
    result?;
    Ok(ExitCode::SUCCESS)
}

/// Ctrl-C and SIGTERM, as a stream.
struct Signals {
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    int: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    fn new() -> Signals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Signals {
                term: signal(SignalKind::terminate()).ok(),
                int: signal(SignalKind::interrupt()).ok(),
            }
        }
        #[cfg(not(unix))]
        Signals {}
    }

    async fn next(&mut self) {
        #[cfg(unix)]
        {
            async fn recv(s: &mut Option<tokio::signal::unix::Signal>) {
                match s {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            }
            tokio::select! {
                _ = recv(&mut self.term) => {}
                _ = recv(&mut self.int) => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// Logs to stderr; `RUST_LOG` chooses the level (info by default). Colours only on a
/// terminal, and not with `NO_COLOR` set (journald shows the codes as they are).
/// `--log-format json`: one JSON object per line (time, level, target, message).
fn init_logging(format: LogFormat) {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let colour = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Plain => logs.with_ansi(colour).try_init(),
        LogFormat::Json => logs.json().with_ansi(false).try_init(),
    };
}
