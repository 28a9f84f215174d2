//! Updates of one chat are handled one at a time, in the order they came; different
//! chats side by side, so that a slow or busy chat never holds another back. A worker
//! per chat lives only while that chat has updates waiting. A handler that panics costs
//! its own update and nothing else.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use teloxide::types::Update;
use tokio::sync::{mpsc, oneshot};
use tracing::error;

type Handler = dyn Fn(Update) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync;

/// Whose updates must keep their order: a chat's, else a user's (inline queries).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Chat(i64),
    User(u64),
    Alone(u32),
}

fn key(update: &Update) -> Key {
    if let Some(chat) = update.chat() {
        Key::Chat(chat.id.0)
    } else if let Some(user) = update.from() {
        Key::User(user.id.0)
    } else {
        Key::Alone(update.id.0)
    }
}

struct Job {
    update: Update,
    handled: oneshot::Sender<()>,
}

pub struct Chats {
    workers: Mutex<HashMap<Key, mpsc::UnboundedSender<Job>>>,
    handler: Box<Handler>,
}

impl Chats {
    pub fn new<F, Fut>(handler: F) -> Arc<Chats>
    where
        F: Fn(Update) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        Arc::new(Chats {
            workers: Mutex::new(HashMap::new()),
            handler: Box::new(move |u| Box::pin(handler(u))),
        })
    }

    fn workers(&self) -> std::sync::MutexGuard<'_, HashMap<Key, mpsc::UnboundedSender<Job>>> {
        self.workers.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues `update` behind its chat's others; the receiver fires once it is handled.
    pub fn submit(self: &Arc<Self>, update: Update) -> oneshot::Receiver<()> {
        let key = key(&update);
        let (handled, receiver) = oneshot::channel();
        let mut job = Job { update, handled };
        let mut workers = self.workers();
        if let Some(queue) = workers.get(&key) {
            match queue.send(job) {
                Ok(()) => return receiver,
                Err(returned) => job = returned.0,
            }
        }
        let (queue, jobs) = mpsc::unbounded_channel();
        let _ = queue.send(job);
        workers.insert(key, queue);
        drop(workers);
        tokio::spawn(self.clone().work(key, jobs));
        receiver
    }

    /// Handles a batch (each chat's updates in order) and returns when all are done.
    pub async fn handle_all(self: &Arc<Self>, updates: Vec<Update>) {
        let handled: Vec<_> = updates.into_iter().map(|u| self.submit(u)).collect();
        for h in handled {
            let _ = h.await;
        }
    }

    async fn work(self: Arc<Self>, key: Key, mut jobs: mpsc::UnboundedReceiver<Job>) {
        loop {
            let job = match jobs.try_recv() {
                Ok(job) => job,
                // Leave only under the lock, so that nothing is queued to a worker gone.
                Err(_) => {
                    let mut workers = self.workers();
                    match jobs.try_recv() {
                        Ok(job) => job,
                        Err(_) => {
                            workers.remove(&key);
                            return;
                        }
                    }
                }
            };
            if tokio::spawn((self.handler)(job.update)).await.is_err() {
                error!("an update handler panicked; the bot carries on");
            }
            let _ = job.handled.send(());
        }
    }

    #[cfg(test)]
    fn busy(&self) -> usize {
        self.workers().len()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn update(id: u32, chat: i64) -> Update {
        // As teloxide reads updates: from text (it borrows its keys).
        let json = serde_json::json!({
            "update_id": id,
            "message": {"message_id": id, "date": 1, "chat": {"id": chat, "type": "private", "first_name": "A"}, "text": "x"}
        });
        serde_json::from_str(&json.to_string()).unwrap()
    }

    #[tokio::test]
    async fn a_chat_keeps_its_order_and_a_slow_chat_holds_no_other_back() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let seen = log.clone();
        let chats = Chats::new(move |u: Update| {
            let seen = seen.clone();
            async move {
                let chat = u.chat().unwrap().id.0;
                if chat == 1 {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                if u.id.0 == 99 {
                    panic!("a bad handler");
                }
                seen.lock().unwrap().push(u.id.0);
            }
        });
        let updates = vec![
            update(1, 1),
            update(2, 1),
            update(3, 2),
            update(99, 2),
            update(4, 2),
        ];
        chats.handle_all(updates).await;
        let order = log.lock().unwrap().clone();
        assert_eq!(order, [3, 4, 1, 2]);
        assert_eq!(chats.busy(), 0, "idle workers leave");
    }
}
