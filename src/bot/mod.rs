//! The Telegram bot: a thin layer on teloxide that renders what the answer engine
//! returns. Private chats, groups (addressed questions, /autoanswer), inline mode and
//! button callbacks each have their own module; [`reply`] holds what they share.
//!
//! [`run`] validates nothing itself — it takes a loaded [`Matcher`] — opens the store,
//! registers the command menus, logs one start-up line, and dispatches updates until
//! `shutdown` resolves. A handler error is logged and the bot carries on.

pub mod callbacks;
pub mod commands;
pub mod config;
pub mod flood;
pub mod group;
pub mod inline;
pub mod keyboards;
pub mod private;
pub mod render;
pub mod reply;
pub mod store;
pub mod texts;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use teloxide::dispatching::{Dispatcher, UpdateFilterExt, UpdateHandler};
use teloxide::error_handlers::LoggingErrorHandler;
use teloxide::prelude::*;
use teloxide::types::{BotCommandScope, Me};
use teloxide::update_listeners::{Polling, webhooks};
use tracing::info;

use crate::Matcher;
use config::{Config, Mode};
use flood::FloodGuard;
use store::Store;

/// The bot as handlers use it: every request goes through teloxide's `Throttle`, which
/// keeps Telegram's limits and retries after a 429.
pub type TgBot = teloxide::adaptors::Throttle<Bot>;

/// What endpoints return; an error is logged by the dispatcher and never stops the bot.
pub type HandlerResult = anyhow::Result<()>;

/// Everything handlers share.
#[derive(Debug)]
pub struct App {
    pub matcher: Matcher,
    pub store: Store,
    pub flood: FloodGuard,
    /// Who the bot is (for @mentions, replies to it, deep links).
    pub me: Me,
    pub retention_days: u32,
    /// An example question for help texts: the corpus's first question, so the bot's
    /// own words never assume what the corpus is about.
    pub example: String,
}

impl App {
    pub fn username(&self) -> &str {
        self.me.user.username.as_deref().unwrap_or_default()
    }
}

/// The handler tree. Edited messages, channel posts and other updates reach no branch
/// and are ignored.
pub fn schema() -> UpdateHandler<anyhow::Error> {
    dptree::entry()
        .branch(
            Update::filter_message()
                .branch(
                    dptree::filter(|m: Message| m.chat.is_private()).endpoint(private::on_message),
                )
                .branch(
                    dptree::filter(|m: Message| m.chat.is_group() || m.chat.is_supergroup())
                        .endpoint(group::on_message),
                ),
        )
        .branch(Update::filter_callback_query().endpoint(callbacks::on_callback))
        .branch(Update::filter_inline_query().endpoint(inline::on_inline_query))
}

/// Runs the bot until `shutdown` resolves.
pub async fn run(
    config: Config,
    matcher: Matcher,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let store = Store::open(&config.db, config.retention_days)?;
    let mut bot = Bot::new(config.token.expose());
    if let Some(url) = &config.api_url {
        bot = bot.set_api_url(url.clone());
    }
    let bot: TgBot = bot.throttle(config.limits);

    let me = bot.get_me().await.context(
        "cannot reach the Bot API (getMe failed); check TELOXIDE_TOKEN and TELOXIDE_API_URL",
    )?;
    bot.set_my_commands(commands::private_menu())
        .scope(BotCommandScope::AllPrivateChats)
        .await
        .context("setMyCommands (private chats)")?;
    bot.set_my_commands(commands::group_menu())
        .scope(BotCommandScope::AllGroupChats)
        .await
        .context("setMyCommands (groups)")?;

    // Logged once updates can arrive (after setWebhook, in webhook mode).
    let ready = format!(
        "yibao-bot @{} ready: {} entries, {} sections, {} categories; {}; database {}",
        me.user.username.as_deref().unwrap_or("?"),
        matcher.corpus().entries.len(),
        matcher
            .corpus()
            .entries
            .iter()
            .map(|e| e.sections.len())
            .sum::<usize>(),
        matcher.corpus().categories().len(),
        match &config.mode {
            Mode::Polling { .. } => "long polling".to_string(),
            Mode::Webhook { listen, .. } => format!("webhook, listening on {listen}"),
        },
        config.db.display()
    );

    let example = matcher
        .corpus()
        .entries
        .first()
        .map(|e| e.question.trim_end_matches(['?', '？']).to_string())
        .unwrap_or_default();
    let app = Arc::new(App {
        example,
        matcher,
        store,
        flood: FloodGuard::new(config.flood),
        me,
        retention_days: config.retention_days,
    });
    let mut dispatcher = Dispatcher::builder(bot.clone(), schema())
        .dependencies(dptree::deps![app])
        .default_handler(|_| async {})
        .error_handler(LoggingErrorHandler::with_custom_text(
            "an update handler failed",
        ))
        .build();

    let token = dispatcher.shutdown_token();
    tokio::spawn(async move {
        shutdown.await;
        // The dispatcher may not have started yet: try until it stops.
        loop {
            match token.shutdown() {
                Ok(done) => {
                    done.await;
                    break;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    });

    let errors = LoggingErrorHandler::with_custom_text("receiving updates failed");
    match config.mode {
        Mode::Polling { timeout } => {
            let listener = Polling::builder(bot.clone())
                .timeout(timeout)
                .delete_webhook()
                .await
                .build();
            info!("{ready}");
            dispatcher.dispatch_with_listener(listener, errors).await;
        }
        Mode::Webhook {
            url,
            listen,
            secret,
        } => {
            // Listen before setWebhook: Telegram may post the moment it is set.
            let tcp = tokio::net::TcpListener::bind(listen)
                .await
                .with_context(|| format!("cannot listen on {listen}"))?;
            let mut options = webhooks::Options::new(listen, url);
            if let Some(secret) = secret {
                options = options.secret_token(secret);
            }
            let (listener, stop, router) = webhooks::axum_to_router(bot.clone(), options)
                .await
                .context("setWebhook failed")?;
            let router = router.route("/healthz", axum::routing::get(|| async { "ok" }));
            tokio::spawn(async move {
                if let Err(e) = axum::serve(tcp, router).with_graceful_shutdown(stop).await {
                    tracing::error!("webhook server stopped: {e}");
                }
            });
            info!("{ready}");
            dispatcher.dispatch_with_listener(listener, errors).await;
        }
    }
    info!("yibao-bot stopped");
    Ok(())
}
