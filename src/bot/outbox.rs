//! The outbox: what handlers want sent (messages, and edits of them). A handler never
//! waits for Telegram: it posts its replies here, they are saved in the store, and the
//! [sender](super::sender) delivers them. If the store cannot save them (a full disk),
//! they are delivered all the same, only not kept across a restart.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use teloxide::requests::Payload;
use tokio::sync::mpsc;
use tracing::error;

use super::store::Store;

/// One Bot API call for one chat, due from `not_before` (unix seconds; 0 is at once).
#[derive(Debug, Clone)]
pub struct Letter {
    /// Its row in the store, if it could be saved.
    pub id: Option<i64>,
    pub chat: i64,
    pub method: String,
    pub body: String,
    pub not_before: i64,
    /// The question (its message id) this letter's message answers, to be remembered
    /// once delivered ([`Answered`](super::answered::Answered)). Not saved: a letter
    /// sent after a restart is not remembered.
    pub answers: Option<i32>,
}

#[derive(Debug)]
pub struct Outbox {
    store: Arc<Store>,
    sender: mpsc::UnboundedSender<Letter>,
    waiting: Arc<Waiting>,
}

impl Outbox {
    /// An outbox and the receiving end its letters go to (the sender's).
    pub fn new(
        store: Arc<Store>,
        waiting: Arc<Waiting>,
    ) -> (Outbox, mpsc::UnboundedReceiver<Letter>) {
        let (sender, receiver) = mpsc::unbounded_channel();
        let outbox = Outbox {
            store,
            sender,
            waiting,
        };
        (outbox, receiver)
    }

    /// Posts calls for `chat`, delivered in this order, not before `not_before`.
    pub fn post<P: Payload + Serialize>(&self, chat: i64, calls: &[P], not_before: i64) {
        self.post_answer(chat, calls, not_before, None);
    }

    /// Posts calls as [`post`](Self::post) does; the first answers the question
    /// `answers` (a message id), when given.
    pub fn post_answer<P: Payload + Serialize>(
        &self,
        chat: i64,
        calls: &[P],
        not_before: i64,
        answers: Option<i32>,
    ) {
        let bodies: Vec<String> = calls
            .iter()
            .filter_map(|p| match serde_json::to_string(p) {
                Ok(body) => Some(body),
                Err(e) => {
                    error!("could not encode a {} request: {e}", P::NAME);
                    None
                }
            })
            .collect();
        if bodies.is_empty() {
            return;
        }
        let rows: Vec<(i64, &str, &str, i64)> = bodies
            .iter()
            .map(|b| (chat, P::NAME, b.as_str(), not_before))
            .collect();
        let ids = match self.store.outbox_add(&rows) {
            Ok(ids) => ids.into_iter().map(Some).collect(),
            Err(e) => {
                self.store.report(&e);
                vec![None; bodies.len()]
            }
        };
        self.waiting.add(chat, bodies.len());
        for (i, (id, body)) in ids.into_iter().zip(bodies).enumerate() {
            // After shutdown the sender is gone; saved letters go out on the next start.
            let _ = self.sender.send(Letter {
                id,
                chat,
                method: P::NAME.to_string(),
                body,
                not_before,
                answers: if i == 0 { answers } else { None },
            });
        }
    }

    /// Letters waiting for `chat` (posted, not yet delivered or given up).
    pub fn waiting(&self, chat: i64) -> usize {
        self.waiting.count(chat)
    }

    /// Whether `chat` should now be told it is busy: true once per backlog.
    pub fn tell_busy_once(&self, chat: i64) -> bool {
        self.waiting.tell_busy_once(chat)
    }
}

/// How many letters wait for each chat, shared by the outbox (which adds) and the sender
/// (which delivers); a chat is forgotten when nothing waits for it.
#[derive(Debug, Default)]
pub struct Waiting {
    chats: Mutex<HashMap<i64, Backlog>>,
}

#[derive(Debug, Default)]
struct Backlog {
    letters: usize,
    told_busy: bool,
}

impl Waiting {
    fn chats(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Backlog>> {
        self.chats.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn add(&self, chat: i64, n: usize) {
        self.chats().entry(chat).or_default().letters += n;
    }

    /// One letter for `chat` delivered or given up.
    pub fn done(&self, chat: i64) {
        let mut chats = self.chats();
        if let Some(b) = chats.get_mut(&chat) {
            b.letters = b.letters.saturating_sub(1);
            if b.letters == 0 {
                chats.remove(&chat);
            }
        }
    }

    pub fn count(&self, chat: i64) -> usize {
        self.chats().get(&chat).map_or(0, |b| b.letters)
    }

    fn tell_busy_once(&self, chat: i64) -> bool {
        let mut chats = self.chats();
        let b = chats.entry(chat).or_default();
        !std::mem::replace(&mut b.told_busy, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_chat_is_told_once_per_backlog() {
        let w = Waiting::default();
        w.add(-1, 2);
        assert!(w.tell_busy_once(-1));
        assert!(!w.tell_busy_once(-1));
        w.done(-1);
        w.done(-1);
        assert_eq!(w.count(-1), 0);
        w.add(-1, 1);
        assert!(w.tell_busy_once(-1), "a new backlog, a new notice");
    }
}
