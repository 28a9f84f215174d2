//! The Telegram bot: a thin layer on teloxide that renders what the answer engine
//! returns. Private chats, groups (addressed questions, /autoanswer), inline mode and
//! button callbacks each have their own module; [`reply`] holds what they share, and
//! [`schema`] is the table of contents: which update goes to which endpoint.
//!
//! [`run`] validates nothing itself — it takes a loaded [`Matcher`] — opens the store,
//! registers the command menus, logs one start-up line, and dispatches updates until
//! `shutdown` resolves. A handler error is logged and the bot carries on.

mod callbacks;
mod commands;
mod config;
mod error;
mod flood;
mod group;
mod inline;
mod keyboards;
mod private;
mod render;
mod reply;
mod store;
mod texts;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use teloxide::adaptors::CacheMe;
use teloxide::dispatching::{Dispatcher, HandlerExt, UpdateFilterExt, UpdateHandler};
use teloxide::error_handlers::LoggingErrorHandler;
use teloxide::prelude::*;
use teloxide::types::{BotCommandScope, Me};
use teloxide::update_listeners::{Polling, webhooks};
use tracing::info;

use crate::engine::Matcher;
use commands::Command;
pub use config::{Config, FloodLimit, Mode, Token};
pub use error::BotError;
use flood::FloodGuard;
pub use store::{Store, StoreError};

/// The bot as handlers use it: `getMe` is asked once and cached, and every request goes
/// through teloxide's `Throttle`, which keeps Telegram's limits and retries after a 429.
type TgBot = teloxide::adaptors::Throttle<CacheMe<Bot>>;

/// What endpoints return; an error is logged by the dispatcher and never stops the bot.
type HandlerResult = Result<(), BotError>;

/// Everything handlers share.
#[derive(Debug)]
struct App {
    matcher: Matcher,
    store: Store,
    flood: FloodGuard,
    /// Who the bot is (for @mentions, replies to it, deep links).
    me: Me,
    retention_days: u32,
    /// An example question for help texts: the corpus's first question, so the bot's
    /// own words never assume what the corpus is about.
    example: String,
}

impl App {
    fn username(&self) -> &str {
        self.me.user.username.as_deref().unwrap_or_default()
    }
}

/// The handler tree. Edited messages, channel posts and other updates reach no branch
/// and are ignored.
fn schema() -> UpdateHandler<BotError> {
    let private = dptree::filter(|m: Message| m.chat.is_private())
        .branch(
            dptree::entry()
                .filter_command::<Command>()
                .endpoint(private::on_command),
        )
        .branch(dptree::filter(is_command_like).endpoint(private::on_unknown_command))
        .branch(Message::filter_text().endpoint(private::on_question))
        .branch(dptree::endpoint(private::on_non_text));
    let group = dptree::filter(|m: Message| m.chat.is_group() || m.chat.is_supergroup())
        .filter(|m: Message| !group::from_another_bot(&m))
        .branch(
            dptree::entry()
                .filter_command::<Command>()
                .endpoint(group::on_command),
        )
        // A command for another bot, or none we know: not ours to answer.
        .branch(dptree::filter(is_command_like).endpoint(|| async { Ok(()) }))
        .branch(Message::filter_text().endpoint(group::on_text));
    dptree::entry()
        .branch(Update::filter_message().branch(private).branch(group))
        .branch(Update::filter_callback_query().endpoint(callbacks::on_callback))
        .branch(Update::filter_inline_query().endpoint(inline::on_inline_query))
}

/// A text that looks like a command (`/…`), whether or not it is one of ours.
fn is_command_like(m: Message) -> bool {
    m.text().is_some_and(|t| t.trim_start().starts_with('/'))
}

/// Runs the bot until `shutdown` resolves.
pub async fn run(
    config: Config,
    matcher: Matcher,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), BotError> {
    let store = Store::open(&config.db, config.retention_days)?;
    let mut bot = Bot::new(config.token.expose());
    if let Some(url) = &config.api_url {
        bot = bot.set_api_url(url.clone());
    }
    let bot: TgBot = bot.cache_me().throttle(config.limits);

    // The one getMe: the dispatcher's own is answered from the cache.
    let me = bot.get_me().await.map_err(BotError::GetMe)?;
    bot.set_my_commands(commands::private_menu())
        .scope(BotCommandScope::AllPrivateChats)
        .await
        .map_err(BotError::SetCommands)?;
    bot.set_my_commands(commands::group_menu())
        .scope(BotCommandScope::AllGroupChats)
        .await
        .map_err(BotError::SetCommands)?;

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
        .error_handler(Arc::new(|err: BotError| async move {
            tracing::error!("an update handler failed: {}", error::one_line(&err));
        }))
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
            dispatcher
                .try_dispatch_with_listener(listener, errors)
                .await
                .map_err(BotError::GetMe)?;
        }
        Mode::Webhook {
            url,
            listen,
            secret,
        } => {
            // Listen before setWebhook: Telegram may post the moment it is set.
            let tcp = tokio::net::TcpListener::bind(listen)
                .await
                .map_err(|source| BotError::Listen {
                    addr: listen,
                    source,
                })?;
            let mut options = webhooks::Options::new(listen, url);
            if let Some(secret) = secret {
                options = options.secret_token(secret);
            }
            let (listener, stop, router) = webhooks::axum_to_router(bot.clone(), options)
                .await
                .map_err(BotError::SetWebhook)?;
            let router = router.route("/healthz", axum::routing::get(|| async { "ok" }));
            tokio::spawn(async move {
                if let Err(e) = axum::serve(tcp, router).with_graceful_shutdown(stop).await {
                    tracing::error!("webhook server stopped: {e}");
                }
            });
            info!("{ready}");
            dispatcher
                .try_dispatch_with_listener(listener, errors)
                .await
                .map_err(BotError::GetMe)?;
        }
    }
    info!("yibao-bot stopped");
    Ok(())
}
