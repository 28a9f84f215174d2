//! Long polling. getUpdates in a loop; each answer is read update by update
//! ([`incoming`]) and handled ([`Chats`]) before the next is asked for, and the offset
//! that confirms it is saved — so an update is confirmed only once it has been handled,
//! and a restart goes on where the last run stopped.
//!
//! A failure is retried with capped back-off; while failing, each try is a short poll
//! (cheap, and it notices the API is back within the cap). An outage is logged when it
//! starts and when it ends; a 409 says that another instance is using the token.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::watch;
use tracing::{debug, info, warn};

use super::api::{Api, Failure};
use super::chats::Chats;
use super::config::Backoff;
use super::incoming::{self, KINDS, Why};
use super::store::Store;
use super::{BotError, stopped};

/// Updates per getUpdates (Telegram's maximum).
const BATCH: u32 = 100;
/// While an outage lasts, it is logged again this often.
const OUTAGE_REMINDER: Duration = Duration::from_secs(60);

pub struct Polling {
    pub api: Api,
    pub store: Arc<Store>,
    pub bot_id: i64,
    pub timeout: Duration,
    pub request_timeout: Duration,
    pub retry: Backoff,
    pub chats: Arc<Chats>,
}

struct Outage {
    since: Instant,
    last: Failure,
    reported: Instant,
}

pub async fn run(p: Polling, mut stop: watch::Receiver<bool>) -> Result<(), BotError> {
    let mut offset = match p.store.poll_offset(p.bot_id) {
        Ok(offset) => offset.unwrap_or(0),
        Err(e) => {
            p.store.report(&e);
            0
        }
    };
    let mut outage: Option<Outage> = None;
    // Two instances take turns: each 409 comes between good polls. Said once a minute.
    let mut conflict_reported: Option<Instant> = None;
    // Failures in a row, for the back-off.
    let mut failures = 0;
    loop {
        let (poll, http) = match outage {
            None => (p.timeout, p.timeout + p.request_timeout),
            Some(_) => (Duration::ZERO, p.request_timeout),
        };
        let body = serde_json::json!({
            "offset": offset,
            "timeout": poll.as_secs(),
            "limit": BATCH,
            "allowed_updates": KINDS,
        });
        let body = serde_json::to_vec(&body).unwrap_or_default();
        let answer = tokio::select! {
            answer = p.api.call_raw("getUpdates", body, http) => answer,
            _ = stopped(&mut stop) => return Ok(()),
        };
        let batch =
            answer.and_then(|b| incoming::batch(&b, offset).map_err(|()| Failure::Unreadable));
        let failure = match batch {
            Ok(batch) => {
                failures = 0;
                if let Some(o) = outage.take() {
                    info!(
                        "receiving updates again after {} s",
                        o.since.elapsed().as_secs()
                    );
                }
                for skipped in &batch.skipped {
                    match skipped.why {
                        Why::NotAskedFor => debug!("{skipped}"),
                        _ => warn!("{skipped}"),
                    }
                }
                let stuck = !batch.skipped.is_empty() && batch.next_offset == offset;
                p.chats.handle_all(batch.updates).await;
                if batch.next_offset != offset {
                    offset = batch.next_offset;
                    if let Err(e) = p.store.set_poll_offset(p.bot_id, offset) {
                        p.store.report(&e);
                    }
                }
                if stuck {
                    // Nothing to count an unreadable first update from: wait for one
                    // behind it, which moves the offset past both.
                    tokio::select! {
                        _ = tokio::time::sleep(p.retry.max) => {}
                        _ = stopped(&mut stop) => return Ok(()),
                    }
                }
                continue;
            }
            Err(Failure::Rejected { code, description }) if code == 401 || code == 404 => {
                return Err(BotError::Unauthorized(Failure::Rejected {
                    code,
                    description,
                }));
            }
            Err(failure) => failure,
        };
        failures += 1;
        p.api.metrics().retry();
        let wait = match &failure {
            Failure::RetryAfter(wait) => *wait,
            _ => p.retry.delay(failures),
        };
        match failure {
            // Not an outage (the API works, for the other instance): said once a minute.
            Failure::Conflict(_) => {
                if conflict_reported.is_none_or(|t| t.elapsed() >= OUTAGE_REMINDER) {
                    warn!("{}", say(&failure));
                    conflict_reported = Some(Instant::now());
                }
            }
            _ => report(&mut outage, failure, p.retry),
        }
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = stopped(&mut stop) => return Ok(()),
        }
    }
}

/// A failure in words; a 409 says what to do about it.
fn say(failure: &Failure) -> String {
    match failure {
        Failure::Conflict(d) if d.contains("webhook") => format!(
            "receiving updates failed: {failure}: a webhook is set for this bot token (another deployment in webhook mode?)"
        ),
        Failure::Conflict(_) => format!(
            "receiving updates failed: {failure}: another instance of the bot is using this token; stop it (only one may poll)"
        ),
        _ => format!("receiving updates failed: {failure}"),
    }
}

/// Logs a failure once per outage (again if it changes, or every minute while it lasts).
fn report(outage: &mut Option<Outage>, failure: Failure, retry: Backoff) {
    let now = Instant::now();
    match outage {
        None => {
            warn!(
                "{}; trying again every {} s at most",
                say(&failure),
                retry.max.as_secs_f32()
            );
            *outage = Some(Outage {
                since: now,
                last: failure,
                reported: now,
            });
        }
        Some(o) => {
            if !o.last.same_kind(&failure) || o.reported.elapsed() >= OUTAGE_REMINDER {
                warn!(
                    "{} (for {} s now)",
                    say(&failure),
                    o.since.elapsed().as_secs()
                );
                o.reported = now;
            }
            o.last = failure;
        }
    }
}
