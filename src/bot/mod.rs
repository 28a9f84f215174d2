//! The Telegram bot: a thin layer on teloxide's types and handler tree that renders what
//! the answer engine returns. Private chats, groups (addressed questions, /autoanswer),
//! inline mode and button callbacks each have their own module; [`reply`] holds what
//! they share, and [`schema`] is the table of contents: which update goes to which
//! endpoint.
//!
//! How updates come and replies go, so that nothing is lost and nobody stalls:
//! - in: [`polling`] (or [`webhook`]) reads updates one by one ([`incoming`]) and hands
//!   them to [`chats`], which handles each chat's in order and chats side by side; an
//!   update is confirmed only once handled.
//! - out: handlers never wait for Telegram; they post replies to the [`outbox`] (saved
//!   in the [`store`]), and the [`sender`] delivers them at Telegram's [`pace`], retrying
//!   what fails for a while, through the [`api`].
//!
//! [`run`] opens the store, registers the command menus, logs one start-up line, and
//! handles updates until `shutdown` resolves; then it lets the sender deliver for a
//! bounded grace and keeps what is left for the next start.

mod admin;
mod advisory;
mod answered;
mod api;
mod callbacks;
mod chats;
mod commands;
mod config;
mod edited;
mod error;
mod flood;
mod group;
mod incoming;
mod inline;
mod keyboards;
mod metrics;
mod outbox;
mod pace;
mod polling;
mod private;
mod reload;
mod render;
mod reply;
mod review;
mod sender;
mod status;
mod store;
mod texts;
mod webhook;

use std::collections::HashSet;
use std::future::Future;
use std::ops::ControlFlow;
use std::sync::Arc;
use std::time::{Duration, Instant};

use teloxide::dispatching::{HandlerExt, UpdateFilterExt, UpdateHandler};
use teloxide::dptree::di::DependencyMap;
use teloxide::payloads::{DeleteWebhook, GetMe, SetMyCommands};
use teloxide::prelude::*;
use teloxide::types::{BotCommandScope, Me};
use tokio::sync::{mpsc, watch};
use tracing::{error, info, warn};

use crate::engine::Matcher;
use api::{Api, Failure};
use chats::Chats;
use commands::Command;
pub use config::{Backoff, Config, FloodLimit, Mode, RateLimits, Token};
pub use error::BotError;
use flood::FloodGuard;
use outbox::{Outbox, Waiting};
use reload::Live;
use sender::Sender;
pub use store::{Choice, Reviewed, Store, StoreError, ToReview};

/// What endpoints return; an error is logged and never stops the bot.
type HandlerResult = Result<(), BotError>;

/// Everything handlers share. An update is handled with the one current when it came
/// ([`reload`] swaps in a copy with a new matcher; the rest is shared).
#[derive(Debug, Clone)]
struct App {
    matcher: Arc<Matcher>,
    store: Arc<Store>,
    /// Where replies go (handlers never wait for Telegram).
    outbox: Arc<Outbox>,
    /// For the few calls that are answered at once (button and inline acknowledgements,
    /// an admin check), each within `request_timeout`.
    api: Api,
    request_timeout: Duration,
    flood: Arc<FloodGuard>,
    /// Telegram user ids allowed `/reload` and `/review`.
    admins: Arc<HashSet<u64>>,
    /// What `/metrics` shows (the API's own counters, shared).
    metrics: Arc<metrics::Metrics>,
    /// Who the bot is (for @mentions, replies to it, deep links).
    me: Me,
    retention_days: u32,
    /// A group with this many replies waiting gets no more answers until they are out.
    group_backlog: usize,
    /// Which message answers which question (for edited questions).
    answered: Arc<answered::Answered>,
    /// Keys the voter hashes: one vote per person and entry, without their id.
    voters: ring::hmac::Key,
    /// An example question for help texts: the corpus's first question, so the bot's
    /// own words never assume what the corpus is about.
    example: String,
}

impl App {
    fn username(&self) -> &str {
        self.me.user.username.as_deref().unwrap_or_default()
    }

    /// The same app answering from `matcher`.
    fn with_matcher(&self, matcher: Matcher) -> App {
        App {
            example: example_question(&matcher),
            matcher: Arc::new(matcher),
            ..self.clone()
        }
    }
}

/// The handler tree. Channel posts and other updates reach no branch and are ignored.
fn schema() -> UpdateHandler<BotError> {
    let private = dptree::filter(|m: Message| m.chat.is_private())
        .branch(
            dptree::filter(admin::from_admin)
                .filter_command::<admin::AdminCommand>()
                .endpoint(admin::on_command),
        )
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
        .branch(
            Update::filter_message()
                // An answer someone chose from the bot's inline results: not a question.
                .filter(|m: Message, me: Me| m.via_bot.as_ref().is_none_or(|b| b.id != me.user.id))
                .branch(private)
                .branch(group),
        )
        .branch(
            Update::filter_edited_message()
                .branch(Message::filter_text().endpoint(edited::on_edited_text)),
        )
        .branch(
            Update::filter_callback_query()
                .filter(review::is_review_tap)
                .endpoint(review::on_tap),
        )
        .branch(Update::filter_callback_query().endpoint(callbacks::on_callback))
        .branch(Update::filter_inline_query().endpoint(inline::on_inline_query))
}

/// A text that looks like a command (`/…`), whether or not it is one of ours.
fn is_command_like(m: Message) -> bool {
    m.text().is_some_and(|t| t.trim_start().starts_with('/'))
}

/// Runs one update through the handler tree, with the app current as it starts.
async fn handle(
    schema: Arc<UpdateHandler<BotError>>,
    deps: Arc<DependencyMap>,
    live: Arc<Live>,
    update: Update,
) {
    let mut deps = deps.as_ref().clone();
    let app = live.current();
    app.metrics.update(update_kind(&update));
    deps.insert(app);
    deps.insert(update);
    if let ControlFlow::Break(Err(err)) = schema.dispatch(deps).await {
        error!("an update handler failed: {}", error::one_line(&err));
    }
}

/// An update's kind, as the metrics count it.
fn update_kind(update: &Update) -> &'static str {
    use teloxide::types::UpdateKind;
    match update.kind {
        UpdateKind::Message(_) => "message",
        UpdateKind::CallbackQuery(_) => "callback_query",
        UpdateKind::InlineQuery(_) => "inline_query",
        _ => "other",
    }
}

/// Resolves once a stop was asked for.
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

/// Runs the bot until `shutdown` resolves (a second request is the caller's business).
pub async fn run(
    config: Config,
    matcher: Matcher,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), BotError> {
    let (_reload, reloads) = mpsc::channel(1);
    run_reloading(config, matcher, shutdown, reloads).await
}

/// [`run`], loading the corpus folder (`config.faq`) again on each message of `reloads`
/// (SIGHUP, for `serve`).
pub async fn run_reloading(
    config: Config,
    matcher: Matcher,
    shutdown: impl Future<Output = ()> + Send + 'static,
    mut reloads: mpsc::Receiver<()>,
) -> Result<(), BotError> {
    let (stop_sender, stop) = watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop_sender.send(true);
    });
    let store = Arc::new(Store::open(&config.db, config.retention_days)?);
    let api = Api::new(&config.token, config.api_url.as_ref());

    // Start-up may wait on a silent API: a stop ends it at once.
    let mut stop_early = stop.clone();
    let started = tokio::select! {
        started = start(&api, &config) => started?,
        _ = stopped(&mut stop_early) => {
            info!("yibao-bot stopped before it was ready");
            return Ok(());
        }
    };
    let me = started.me;

    let waiting = Arc::new(Waiting::default());
    let (outbox, letters) = Outbox::new(store.clone(), waiting.clone());
    let mut sender = Sender::new(
        api.clone(),
        store.clone(),
        waiting,
        config.limits,
        config.retry,
        config.request_timeout,
    );
    sender.load_saved();
    let answered = sender.answered();
    let (finish, finish_at) = watch::channel(None);
    let sending = tokio::spawn(sender.run(letters, finish_at));

    // Phrasings learnt by review answer from the start.
    let base = matcher.corpus().clone();
    let learnt = store.learnt_phrasings().unwrap_or_else(|e| {
        store.report(&e);
        Vec::new()
    });
    let matcher = if learnt.is_empty() {
        matcher
    } else {
        let (base, learnt) = (base.clone(), learnt.clone());
        tokio::task::spawn_blocking(move || reload::with_learnt(&base, &learnt))
            .await
            .map_err(|_| BotError::Engine)?
    };
    info!("{}", ready_line(&me, &matcher, &config));
    let app = Arc::new(App {
        example: example_question(&matcher),
        matcher: Arc::new(matcher),
        store: store.clone(),
        outbox: Arc::new(outbox),
        api: api.clone(),
        request_timeout: config.request_timeout,
        flood: Arc::new(FloodGuard::new(config.flood)),
        admins: Arc::new(config.admins.iter().copied().collect()),
        metrics: api.metrics().clone(),
        me: me.clone(),
        retention_days: config.retention_days,
        group_backlog: config.group_backlog,
        answered,
        voters: ring::hmac::Key::new(ring::hmac::HMAC_SHA256, config.token.expose().as_bytes()),
    });
    let live = Arc::new(Live::new(app, base, learnt, config.faq.clone()));
    // Both hold the app (and so the database): ended when the bot stops.
    let watching = tokio::spawn(live.clone().watch_learnt(config.review_poll));
    let reloading = live.clone();
    let reloading = tokio::spawn(async move {
        while reloads.recv().await.is_some() {
            reloading.reload("SIGHUP").await;
        }
    });
    let status_live = live.clone();
    // Polling with `--metrics ADDR`: /metrics and /healthz on their own server.
    let status_server = match (started.metrics, &started.receive) {
        (Some(tcp), Receive::Polling { .. }) => {
            let routes = status::routes(live.clone());
            let mut stop = stop.clone();
            Some(tokio::spawn(async move {
                let served = axum::serve(tcp, routes)
                    .with_graceful_shutdown(async move { stopped(&mut stop).await })
                    .await;
                if let Err(e) = served {
                    error!("the metrics server stopped: {e}");
                }
            }))
        }
        _ => None,
    };
    let schema = Arc::new(schema());
    let deps = Arc::new(dptree::deps![live.clone(), me.clone()]);
    let chats =
        Chats::new(move |update| handle(schema.clone(), deps.clone(), live.clone(), update));

    let mut receiving = match started.receive {
        Receive::Polling { timeout } => tokio::spawn(polling::run(
            polling::Polling {
                api,
                store,
                bot_id: me.user.id.0 as i64,
                timeout,
                request_timeout: config.request_timeout,
                retry: config.retry,
                chats,
            },
            stop.clone(),
        )),
        Receive::Webhook(hook) => tokio::spawn(webhook::serve(
            hook,
            chats,
            status::routes(status_live),
            stop.clone(),
        )),
    };

    // Until stopped (or receiving fails for good); then a bounded grace to deliver.
    let mut stop = stop;
    let (result, deadline) = tokio::select! {
        result = &mut receiving => (result, Instant::now() + config.shutdown_grace),
        _ = stopped(&mut stop) => {
            info!("shutting down: delivering for {} s at most", config.shutdown_grace.as_secs_f32());
            let deadline = Instant::now() + config.shutdown_grace;
            match tokio::time::timeout_at(deadline.into(), &mut receiving).await {
                Ok(result) => (result, deadline),
                Err(_) => {
                    receiving.abort();
                    (Ok(Ok(())), deadline)
                }
            }
        }
    };
    watching.abort();
    reloading.abort();
    if let Some(server) = status_server {
        server.abort();
    }
    let _ = finish.send(Some(deadline));
    let _ = tokio::time::timeout_at((deadline + Duration::from_millis(200)).into(), sending).await;
    let result = match result {
        Ok(result) => result,
        Err(panicked) => {
            error!("receiving updates stopped unexpectedly: {panicked}");
            Ok(())
        }
    };
    info!("yibao-bot stopped");
    result
}

/// What start-up found out and set up.
struct Started {
    me: Me,
    receive: Receive,
    /// Listening for `/metrics` and `/healthz` (polling with `--metrics`).
    metrics: Option<tokio::net::TcpListener>,
}

/// How updates will come.
enum Receive {
    Polling {
        timeout: Duration,
    },
    /// Set up and listened for.
    Webhook(webhook::Hook),
}

/// An example question for help texts: the corpus's first.
fn example_question(matcher: &Matcher) -> String {
    matcher
        .corpus()
        .entries
        .first()
        .map(|e| e.question.trim_end_matches(['?', '？']).to_string())
        .unwrap_or_default()
}

/// Asks who the bot is (nothing works without that), registers the command menus, and
/// sets up how updates come: the webhook (listening first, since Telegram may post at
/// once) or polling (no webhook).
async fn start(api: &Api, config: &Config) -> Result<Started, BotError> {
    let timeout = config.request_timeout;
    let me = api
        .call(&GetMe::new(), timeout)
        .await
        .map_err(|failure| match failure {
            // 401: the token is wrong or revoked; 404: it is not a token at all.
            Failure::Rejected {
                code: 401 | 404, ..
            } => BotError::Unauthorized(failure),
            failure => BotError::GetMe(failure),
        })?;
    for (menu, scope) in [
        (commands::private_menu(), BotCommandScope::AllPrivateChats),
        (commands::group_menu(), BotCommandScope::AllGroupChats),
    ] {
        let mut set = SetMyCommands::new(menu);
        set.scope = Some(scope);
        if let Err(e) = api.call(&set, timeout).await {
            warn!("could not register the command menu (setMyCommands: {e}); carrying on");
        }
    }
    let receive = match &config.mode {
        Mode::Polling { timeout: poll } => {
            if let Err(e) = api.call(&DeleteWebhook::new(), timeout).await {
                warn!("could not make sure no webhook is set (deleteWebhook: {e}); carrying on");
            }
            Receive::Polling { timeout: *poll }
        }
        Mode::Webhook {
            url,
            listen,
            secret,
        } => Receive::Webhook(
            webhook::Hook::set_up(api, url, *listen, secret.clone(), timeout).await?,
        ),
    };
    let metrics = match config.metrics {
        Some(addr) if matches!(config.mode, Mode::Polling { .. }) => Some(
            tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|source| BotError::Listen { addr, source })?,
        ),
        _ => None,
    };
    Ok(Started {
        me,
        receive,
        metrics,
    })
}

/// `yibao-bot @bot ready: 70 entries, 33 sections, 9 categories; long polling; database …`
fn ready_line(me: &Me, matcher: &Matcher, config: &Config) -> String {
    format!(
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
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_handler_tree_gets_every_dependency_it_needs() {
        dptree::type_check(
            schema().sig(),
            &dptree::deps![],
            &[
                dptree::Type::of::<Arc<App>>(),
                dptree::Type::of::<Arc<Live>>(),
                dptree::Type::of::<Update>(),
                dptree::Type::of::<Me>(),
            ],
        );
    }
}
