//! A fake Telegram Bot API on 127.0.0.1: it queues updates and serves them to
//! `getUpdates` (offsets, long-poll timeouts), records every call, answers the methods
//! the bot uses with plausible objects, and can be scripted to fail a method once.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde_json::{Value, json};
use tokio::sync::Notify;

pub const BOT_ID: i64 = 7_000_000_001;
pub const BOT_USERNAME: &str = "yibao_test_bot";

/// One request the bot made.
#[derive(Debug, Clone)]
pub struct Call {
    /// Lower-case method name (`sendmessage`).
    pub method: String,
    pub body: Value,
}

#[derive(Default)]
struct Inner {
    updates: Vec<Value>,
    calls: Vec<Call>,
    /// Method → (HTTP status, body) to answer once, instead of succeeding.
    failures: HashMap<String, Vec<(u16, Value)>>,
    /// (chat, user) → member status.
    members: HashMap<(i64, i64), String>,
}

pub struct Fake {
    inner: Mutex<Inner>,
    changed: Notify,
    next_update: AtomicI64,
    next_message: AtomicI64,
    can_read_all: bool,
}

/// A running fake; stops when dropped.
pub struct FakeApi {
    pub url: String,
    fake: Arc<Fake>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for FakeApi {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl FakeApi {
    /// Starts a fake whose bot can (`can_read_all`) or cannot read all group messages.
    pub async fn start(can_read_all: bool) -> FakeApi {
        let fake = Arc::new(Fake {
            inner: Mutex::new(Inner::default()),
            changed: Notify::new(),
            next_update: AtomicI64::new(1),
            next_message: AtomicI64::new(10_000),
            can_read_all,
        });
        let app = axum::Router::new()
            .route("/{bot}/{method}", axum::routing::post(handle).get(handle))
            .with_state(fake.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        FakeApi { url, fake, server }
    }

    /// Queues an update (its `update_id` is assigned here) and returns the id.
    pub fn push(&self, mut update: Value) -> i64 {
        let id = self.fake.next_update.fetch_add(1, Ordering::SeqCst);
        update["update_id"] = json!(id);
        self.fake.inner.lock().unwrap().updates.push(update);
        self.fake.changed.notify_waiters();
        id
    }

    /// Makes the next call of `method` fail with `status` and a Bot API error body.
    pub fn fail_next(
        &self,
        method: &str,
        status: u16,
        description: &str,
        retry_after: Option<u64>,
    ) {
        let mut body = json!({"ok": false, "error_code": status, "description": description});
        if let Some(secs) = retry_after {
            body["parameters"] = json!({"retry_after": secs});
        }
        self.fake
            .inner
            .lock()
            .unwrap()
            .failures
            .entry(method.to_lowercase())
            .or_default()
            .push((status, body));
    }

    /// Sets what `getChatMember` says of `user` in `chat` ("creator", "member", …).
    pub fn set_member(&self, chat: i64, user: i64, status: &str) {
        self.fake
            .inner
            .lock()
            .unwrap()
            .members
            .insert((chat, user), status.to_string());
    }

    pub fn calls(&self) -> Vec<Call> {
        self.fake.inner.lock().unwrap().calls.clone()
    }

    /// Calls of `method` (case-insensitive).
    pub fn calls_of(&self, method: &str) -> Vec<Call> {
        let method = method.to_lowercase();
        self.calls()
            .into_iter()
            .filter(|c| c.method == method)
            .collect()
    }

    /// Waits until at least `n` calls of `method` were made, and returns them all.
    pub async fn wait_for(&self, method: &str, n: usize) -> Vec<Call> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        loop {
            let notified = self.fake.changed.notified();
            let calls = self.calls_of(method);
            if calls.len() >= n {
                return calls;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                panic!(
                    "timed out waiting for {n} × {method}; calls so far:\n{:#?}",
                    self.calls()
                        .iter()
                        .map(|c| format!("{} {}", c.method, c.body))
                        .collect::<Vec<_>>()
                );
            }
        }
    }

    /// Gives the bot time to act on something it should ignore, then returns the calls
    /// of `method` made so far (to assert that none were added).
    pub async fn settle(&self, method: &str) -> Vec<Call> {
        tokio::time::sleep(Duration::from_millis(700)).await;
        self.calls_of(method)
    }
}

fn ok(result: Value) -> axum::response::Response {
    axum::Json(json!({"ok": true, "result": result})).into_response()
}

fn bot_user() -> Value {
    json!({"id": BOT_ID, "is_bot": true, "first_name": "医保小助手", "username": BOT_USERNAME})
}

fn chat_of(id: i64) -> Value {
    if id > 0 {
        json!({"id": id, "type": "private", "first_name": "测试用户"})
    } else {
        json!({"id": id, "type": "supergroup", "title": "测试群", "is_forum": true})
    }
}

/// A message the bot "sent", echoing what it asked for.
fn sent_message(fake: &Fake, body: &Value) -> Value {
    let chat = body["chat_id"].as_i64().unwrap_or(0);
    let id = body["message_id"]
        .as_i64()
        .unwrap_or_else(|| fake.next_message.fetch_add(1, Ordering::SeqCst));
    let mut msg = json!({
        "message_id": id,
        "date": 1_760_000_000,
        "chat": chat_of(chat),
        "from": bot_user(),
        "text": body["text"].as_str().unwrap_or("…"),
    });
    if let Some(markup) = body.get("reply_markup") {
        msg["reply_markup"] = markup.clone();
    }
    if let Some(thread) = body.get("message_thread_id") {
        msg["message_thread_id"] = thread.clone();
        msg["is_topic_message"] = json!(true);
    }
    msg
}

/// The request's parameters: JSON, or the text fields of a multipart form (teloxide sends
/// `setWebhook` as multipart, for its optional certificate).
fn parameters(headers: &HeaderMap, body: &[u8]) -> Value {
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let Some(boundary) = content_type.split("boundary=").nth(1) else {
        return serde_json::from_slice(body).unwrap_or(json!({}));
    };
    let text = String::from_utf8_lossy(body);
    let mut fields = serde_json::Map::new();
    for part in text.split(&format!("--{}", boundary.trim_matches('"'))) {
        let Some((head, value)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        if let Some(name) = head
            .split("name=\"")
            .nth(1)
            .and_then(|n| n.split('"').next())
        {
            let value = value.trim_end_matches("\r\n");
            let value = serde_json::from_str(value).unwrap_or_else(|_| json!(value));
            fields.insert(name.to_string(), value);
        }
    }
    Value::Object(fields)
}

async fn handle(
    State(fake): State<Arc<Fake>>,
    Path((_bot, method)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> axum::response::Response {
    let method = method.to_lowercase();
    let body = parameters(&headers, &body);
    let failure = {
        let mut inner = fake.inner.lock().unwrap();
        inner.calls.push(Call {
            method: method.clone(),
            body: body.clone(),
        });
        inner
            .failures
            .get_mut(&method)
            .and_then(|f| (!f.is_empty()).then(|| f.remove(0)))
    };
    fake.changed.notify_waiters();
    if let Some((status, body)) = failure {
        return (StatusCode::from_u16(status).unwrap(), axum::Json(body)).into_response();
    }
    match method.as_str() {
        "getme" => {
            let mut me = bot_user();
            me["can_join_groups"] = json!(true);
            me["can_read_all_group_messages"] = json!(fake.can_read_all);
            me["supports_inline_queries"] = json!(true);
            me["has_main_web_app"] = json!(false);
            ok(me)
        }
        "getupdates" => {
            let offset = body["offset"].as_i64().unwrap_or(0);
            let timeout = body["timeout"].as_u64().unwrap_or(0).min(5);
            let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);
            loop {
                let notified = fake.changed.notified();
                let ready: Vec<Value> = {
                    let mut inner = fake.inner.lock().unwrap();
                    inner
                        .updates
                        .retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
                    inner.updates.clone()
                };
                if !ready.is_empty() || tokio::time::timeout_at(deadline, notified).await.is_err() {
                    return ok(json!(ready));
                }
            }
        }
        "getwebhookinfo" => {
            ok(json!({"url": "", "has_custom_certificate": false, "pending_update_count": 0}))
        }
        "sendmessage" | "editmessagetext" | "editmessagereplymarkup" => {
            ok(sent_message(&fake, &body))
        }
        "getchatmember" => {
            let (chat, user) = (
                body["chat_id"].as_i64().unwrap_or(0),
                body["user_id"].as_i64().unwrap_or(0),
            );
            let status = fake
                .inner
                .lock()
                .unwrap()
                .members
                .get(&(chat, user))
                .cloned()
                .unwrap_or_else(|| "member".into());
            let user = json!({"id": user, "is_bot": false, "first_name": "群友"});
            let member = match status.as_str() {
                "creator" => json!({"status": "creator", "user": user, "is_anonymous": false}),
                "administrator" => json!({
                    "status": "administrator", "user": user, "is_anonymous": false,
                    "can_be_edited": false, "can_manage_chat": true, "can_change_info": true,
                    "can_delete_messages": true, "can_manage_video_chats": true,
                    "can_invite_users": true, "can_restrict_members": true,
                    "can_promote_members": false, "can_manage_topics": true
                }),
                _ => json!({"status": status, "user": user}),
            };
            ok(member)
        }
        _ => ok(json!(true)),
    }
}
