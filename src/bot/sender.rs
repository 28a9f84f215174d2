//! Delivery: one task sends what is in the outbox, chat by chat — in order within a
//! chat, at Telegram's pace ([`Pace`]), and never one chat waiting for another. A
//! transient failure (no answer, a 5xx) is retried with back-off until the letter is
//! delivered; a 429 waits as long as Telegram says; a rejection (a 400, or 403 "bot was
//! blocked") is dropped with one log line. A delivered letter leaves the store; what is
//! still waiting when the bot stops is sent on the next start.
//!
//! An outage is logged when it starts and when it ends, not at every retry.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;
use tracing::{debug, info, warn};

use super::answered::{Answered, sent_message_id};
use super::api::{Api, Failure};
use super::config::{Backoff, RateLimits};
use super::outbox::{Letter, Waiting};
use super::pace::{Pace, is_group};
use super::store::{self, Store};

/// Requests in flight at once, at most (each can take up to the request timeout).
const MAX_IN_FLIGHT: usize = 64;
/// While an outage lasts, it is logged again this often.
const OUTAGE_REMINDER: Duration = Duration::from_secs(60);

pub struct Sender {
    api: Api,
    store: Arc<Store>,
    waiting: Arc<Waiting>,
    pace: Pace,
    retry: Backoff,
    timeout: Duration,
    queues: HashMap<i64, Queue>,
    in_flight: JoinSet<Delivery>,
    /// Which letter each delivery in flight is sending.
    tasks: HashMap<tokio::task::Id, (i64, u64)>,
    next_seq: u64,
    outage: Option<Outage>,
    /// Which delivered message answers which question.
    answered: Arc<Answered>,
}

/// One chat's letters, oldest first.
struct Queue {
    letters: VecDeque<(u64, Letter)>,
    /// Since when its next letter has been waiting (chats that waited longest go first).
    since: Instant,
    /// Not before then (back-off, or a 429's wait).
    ready_at: Option<Instant>,
    failures: u32,
    busy: bool,
}

impl Queue {
    /// The first letter that is due at `unix` (a letter held for later does not hold up
    /// those after it).
    fn next_due(&self, unix: i64) -> Option<usize> {
        self.letters.iter().position(|(_, l)| l.not_before <= unix)
    }
}

struct Delivery {
    chat: i64,
    seq: u64,
    /// Delivered: the message id Telegram gave it, when it answers a question.
    result: Result<Option<i32>, Failure>,
}

struct Outage {
    since: Instant,
    last: Failure,
    reported: Instant,
}

impl Sender {
    pub fn new(
        api: Api,
        store: Arc<Store>,
        waiting: Arc<Waiting>,
        limits: RateLimits,
        retry: Backoff,
        timeout: Duration,
    ) -> Sender {
        Sender {
            api,
            store,
            waiting,
            pace: Pace::new(limits),
            retry,
            timeout,
            queues: HashMap::new(),
            in_flight: JoinSet::new(),
            tasks: HashMap::new(),
            next_seq: 0,
            outage: None,
            answered: Arc::default(),
        }
    }

    /// Which delivered message answers which question (shared with the handlers).
    pub fn answered(&self) -> Arc<Answered> {
        self.answered.clone()
    }

    /// Takes on what the store still holds from before (counted as waiting).
    pub fn load_saved(&mut self) {
        let rows = match self.store.outbox() {
            Ok(rows) => rows,
            Err(e) => {
                self.store.report(&e);
                return;
            }
        };
        if !rows.is_empty() {
            info!(
                "{} replies from before the restart are waiting to be sent",
                rows.len()
            );
        }
        for row in rows {
            self.waiting.add(row.chat_id, 1);
            self.push(Letter {
                id: Some(row.id),
                chat: row.chat_id,
                method: row.method,
                body: row.body,
                not_before: row.not_before,
                answers: None,
            });
        }
    }

    fn push(&mut self, letter: Letter) {
        self.next_seq += 1;
        self.queues
            .entry(letter.chat)
            .or_insert_with(|| Queue {
                letters: VecDeque::new(),
                since: Instant::now(),
                ready_at: None,
                failures: 0,
                busy: false,
            })
            .letters
            .push_back((self.next_seq, letter));
    }

    /// Delivers until `finish` says when to stop: then whatever can still go before that
    /// deadline goes, and the rest stays in the store.
    pub async fn run(
        mut self,
        mut incoming: mpsc::UnboundedReceiver<Letter>,
        mut finish: watch::Receiver<Option<Instant>>,
    ) {
        let mut deadline: Option<Instant> = None;
        let mut open = true;
        loop {
            let now = Instant::now();
            self.start_due(now);
            if let Some(deadline) = deadline
                && (now >= deadline || (self.in_flight.is_empty() && !self.due_before(deadline)))
            {
                break;
            }
            // With every slot taken, only a finished delivery can start another.
            let wake = match self.in_flight.len() < MAX_IN_FLIGHT {
                true => self.next_wake(now),
                false => None,
            }
            .unwrap_or(now + Duration::from_secs(3600));
            tokio::select! {
                letter = incoming.recv(), if open => match letter {
                    Some(letter) => self.push(letter),
                    None => open = false,
                },
                Some(done) = self.in_flight.join_next_with_id() => match done {
                    Ok((id, done)) => {
                        self.tasks.remove(&id);
                        self.finished(done);
                    }
                    // A delivery that panicked is a failure like any other: tried again.
                    Err(e) => {
                        if let Some((chat, seq)) = self.tasks.remove(&e.id()) {
                            let result = Err(Failure::Network("internal error"));
                            self.finished(Delivery { chat, seq, result });
                        }
                    }
                },
                _ = tokio::time::sleep_until(wake.into()) => {}
                changed = finish.changed(), if deadline.is_none() => {
                    deadline = match changed {
                        Ok(()) => *finish.borrow(),
                        Err(_) => Some(now),
                    };
                    // Everything handlers posted before the stop is in the channel.
                    while let Ok(letter) = incoming.try_recv() {
                        self.push(letter);
                    }
                }
            }
        }
        let left: usize = self.queues.values().map(|q| q.letters.len()).sum();
        if left > 0 {
            info!("{left} replies not yet delivered are kept for the next start");
        }
    }

    /// Starts every delivery that may go now: chats that waited longest first.
    fn start_due(&mut self, now: Instant) {
        let unix = store::now();
        let mut ready: Vec<(Instant, i64)> = self
            .queues
            .iter()
            .filter(|(_, q)| !q.busy && q.next_due(unix).is_some())
            .filter_map(|(&chat, q)| {
                let at = self.pace.next_for(chat, now).max(q.ready_at.unwrap_or(now));
                (at <= now).then_some((q.since, chat))
            })
            .collect();
        ready.sort();
        for (_, chat) in ready {
            if self.in_flight.len() >= MAX_IN_FLIGHT || self.pace.next_overall(now) > now {
                break;
            }
            self.start(chat, now, unix);
        }
    }

    fn start(&mut self, chat: i64, now: Instant, unix: i64) {
        let Some(queue) = self.queues.get_mut(&chat) else {
            return;
        };
        let Some(i) = queue.next_due(unix) else {
            return;
        };
        let (seq, letter) = &queue.letters[i];
        queue.busy = true;
        self.pace.record(chat, now);
        let (seq, method, body) = (*seq, letter.method.clone(), letter.body.clone());
        let answers = letter.answers.is_some();
        let api = self.api.clone();
        let timeout = self.timeout;
        let task = self.in_flight.spawn(async move {
            let result = api
                .call_raw(&method, body.into_bytes(), timeout)
                .await
                .map(|answer| answers.then(|| sent_message_id(&answer)).flatten());
            Delivery { chat, seq, result }
        });
        self.tasks.insert(task.id(), (chat, seq));
    }

    /// When something may next be started (None: nothing waits).
    fn next_wake(&self, now: Instant) -> Option<Instant> {
        let unix = store::now();
        let overall = self.pace.next_overall(now);
        self.queues
            .iter()
            .filter(|(_, q)| !q.busy && !q.letters.is_empty())
            .map(|(&chat, q)| {
                let due = match q.next_due(unix) {
                    Some(_) => now,
                    None => {
                        let first = q.letters.iter().map(|(_, l)| l.not_before).min();
                        let secs = first.map_or(1, |t| (t - unix).max(1)) as u64;
                        now + Duration::from_secs(secs)
                    }
                };
                due.max(self.pace.next_for(chat, now))
                    .max(q.ready_at.unwrap_or(now))
                    .max(overall)
            })
            .min()
    }

    /// Whether any letter could still be started before `deadline`.
    fn due_before(&self, deadline: Instant) -> bool {
        let unix_then =
            store::now() + deadline.saturating_duration_since(Instant::now()).as_secs() as i64;
        self.queues
            .values()
            .any(|q| q.next_due(unix_then).is_some() && q.ready_at.is_none_or(|t| t < deadline))
    }

    fn finished(&mut self, done: Delivery) {
        let Delivery { chat, seq, result } = done;
        let now = Instant::now();
        let waiting_total: usize = self.queues.values().map(|q| q.letters.len()).sum();
        let Some(queue) = self.queues.get_mut(&chat) else {
            return;
        };
        queue.busy = false;
        match result {
            Ok(sent) => {
                queue.failures = 0;
                queue.ready_at = None;
                queue.since = now;
                if let Some(i) = queue.letters.iter().position(|(s, _)| *s == seq) {
                    let (_, letter) = queue.letters.remove(i).expect("an index in range");
                    if let (Some(question), Some(answer)) = (letter.answers, sent) {
                        self.answered.remember(chat, question, answer);
                    }
                    forget(&self.store, &self.waiting, &letter);
                }
                if let Some(outage) = self.outage.take() {
                    info!(
                        "sending works again after {} s",
                        outage.since.elapsed().as_secs()
                    );
                }
            }
            Err(Failure::RetryAfter(wait)) => {
                queue.ready_at = Some(now + wait);
                info!(
                    "Telegram asked to wait {} s before sending more to a {} (429)",
                    wait.as_secs(),
                    chat_kind(chat)
                );
            }
            Err(Failure::Rejected { code, description }) => {
                let whole_chat = code == 403 || description.contains("chat not found");
                let dropped: Vec<Letter> = if whole_chat {
                    queue.letters.drain(..).map(|(_, l)| l).collect()
                } else {
                    queue
                        .letters
                        .iter()
                        .position(|(s, _)| *s == seq)
                        .and_then(|i| queue.letters.remove(i))
                        .map(|(_, l)| l)
                        .into_iter()
                        .collect()
                };
                let method = dropped
                    .first()
                    .map(|l| l.method.clone())
                    .unwrap_or_default();
                for letter in &dropped {
                    forget(&self.store, &self.waiting, letter);
                }
                if description.contains("message is not modified") {
                    debug!("{method} to a {}: nothing to change", chat_kind(chat));
                } else {
                    warn!(
                        "dropped {} for a {}: Telegram refused {method} ({code} {description})",
                        match dropped.len() {
                            1 => "a message".to_string(),
                            n => format!("{n} messages"),
                        },
                        chat_kind(chat)
                    );
                }
            }
            Err(failure) => {
                queue.failures += 1;
                self.api.metrics().retry();
                queue.ready_at = Some(now + self.retry.delay(queue.failures));
                self.outage_seen(failure, waiting_total);
            }
        }
        if self.queues.get(&chat).is_some_and(|q| q.letters.is_empty()) {
            self.queues.remove(&chat);
        }
    }

    /// Logs a transient failure once per outage (and again if it changes or lasts).
    fn outage_seen(&mut self, failure: Failure, waiting: usize) {
        let now = Instant::now();
        match &mut self.outage {
            None => {
                warn!(
                    "sending failed: {failure}; retrying every {} s at most until delivered ({waiting} waiting)",
                    self.retry.max.as_secs_f32()
                );
                self.outage = Some(Outage {
                    since: now,
                    last: failure,
                    reported: now,
                });
            }
            Some(outage) => {
                if !outage.last.same_kind(&failure) || outage.reported.elapsed() >= OUTAGE_REMINDER
                {
                    warn!(
                        "sending still failing after {} s: {failure} ({waiting} waiting)",
                        outage.since.elapsed().as_secs()
                    );
                    outage.reported = now;
                }
                outage.last = failure;
            }
        }
    }
}

/// A letter delivered or given up: out of the store and the count.
fn forget(store: &Store, waiting: &Waiting, letter: &Letter) {
    waiting.done(letter.chat);
    if let Some(id) = letter.id
        && let Err(e) = store.outbox_remove(id)
    {
        store.report(&e);
    }
}

/// How a chat is named in the log: never by its id (a private chat's is the user's).
fn chat_kind(chat: i64) -> &'static str {
    if is_group(chat) {
        "group"
    } else {
        "private chat"
    }
}
