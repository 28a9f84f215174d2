//! A fake Telegram Bot API on 127.0.0.1 that can misbehave at every level. It queues
//! updates and serves them to `getUpdates` (offsets, long-poll timeouts), records every
//! call, answers the methods the bot uses with plausible objects — and can be told to
//! fail, once or until told otherwise, for one method or for every call: refusing
//! connections, resetting them, hanging, answering a 5xx page, a body cut short, a Bot
//! API error (409, 429, 400 …).
//!
//! Plain HTTP/1.1 over tokio's TCP, one request per connection, so that faults below
//! HTTP are as easy to make as those above it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

pub const BOT_ID: i64 = 7_000_000_001;
pub const BOT_USERNAME: &str = "yibao_test_bot";

/// One request the bot made.
#[derive(Debug, Clone)]
pub struct Call {
    /// Lower-case method name (`sendmessage`).
    pub method: String,
    pub body: Value,
    /// Whether it was answered with success (not failed by a fault).
    pub ok: bool,
}

/// How to misbehave.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Nothing listens: connections are refused (for every call only; for one method it
    /// is a reset).
    Refuse,
    /// The request is read, then the connection reset.
    Reset,
    /// The request is read and never answered (until the fault is cleared).
    Hang,
    /// This HTTP status, with an HTML page as a proxy sends it.
    Status(u16),
    /// HTTP 200 with a body cut short.
    Malformed,
    /// A Bot API error answer.
    Api {
        status: u16,
        description: String,
        retry_after: Option<u64>,
    },
}

impl Fault {
    pub fn api(status: u16, description: &str) -> Fault {
        Fault::Api {
            status,
            description: description.to_string(),
            retry_after: None,
        }
    }
}

#[derive(Default)]
struct Inner {
    updates: Vec<Value>,
    calls: Vec<Call>,
    /// Method → faults to answer once each, in order.
    once: HashMap<String, Vec<Fault>>,
    /// Method → a fault until cleared.
    lasting: HashMap<String, Fault>,
    /// A fault for every call until cleared.
    everything: Option<Fault>,
    /// (chat, user) → member status.
    members: HashMap<(i64, i64), String>,
    /// Raw JSON texts served as updates (with their ids), for updates teloxide cannot read.
    raw: HashMap<i64, String>,
    /// Bumped whenever a fault changes (a hanging request then ends).
    generation: u64,
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
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let url = format!("http://127.0.0.1:{port}/");
        let server = tokio::spawn(serve(fake.clone(), port, listener));
        FakeApi { url, fake, server }
    }

    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.fake.inner.lock().unwrap()
    }

    /// Queues an update (its `update_id` is assigned here) and returns the id.
    pub fn push(&self, mut update: Value) -> i64 {
        let id = self.fake.next_update.fetch_add(1, Ordering::SeqCst);
        update["update_id"] = json!(id);
        self.inner().updates.push(update);
        self.fake.changed.notify_waiters();
        id
    }

    /// Queues an update given as raw JSON text, made from the id it takes in the queue
    /// and served exactly so (it may be no valid update at all); returns the id.
    pub fn push_raw(&self, raw: impl FnOnce(i64) -> String) -> i64 {
        let id = self.fake.next_update.fetch_add(1, Ordering::SeqCst);
        let mut inner = self.inner();
        inner.raw.insert(id, raw(id));
        inner.updates.push(json!({"update_id": id, "__raw": true}));
        drop(inner);
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
        self.fail_next_with(
            method,
            Fault::Api {
                status,
                description: description.to_string(),
                retry_after,
            },
        );
    }

    /// Makes the next call of `method` misbehave so.
    pub fn fail_next_with(&self, method: &str, fault: Fault) {
        self.inner()
            .once
            .entry(method.to_lowercase())
            .or_default()
            .push(fault);
    }

    /// Makes every call of `method` (or, with `None`, every call) misbehave so until
    /// cleared with `None`.
    pub fn set_fault(&self, method: Option<&str>, fault: Option<Fault>) {
        let mut inner = self.inner();
        match (method, fault) {
            (Some(m), Some(f)) => {
                inner.lasting.insert(m.to_lowercase(), f);
            }
            (Some(m), None) => {
                inner.lasting.remove(&m.to_lowercase());
            }
            (None, f) => inner.everything = f,
        }
        inner.generation += 1;
        drop(inner);
        self.fake.changed.notify_waiters();
    }

    /// Sets what `getChatMember` says of `user` in `chat` ("creator", "member", …).
    pub fn set_member(&self, chat: i64, user: i64, status: &str) {
        self.inner()
            .members
            .insert((chat, user), status.to_string());
    }

    pub fn calls(&self) -> Vec<Call> {
        self.inner().calls.clone()
    }

    /// Calls of `method` (case-insensitive).
    pub fn calls_of(&self, method: &str) -> Vec<Call> {
        let method = method.to_lowercase();
        self.calls()
            .into_iter()
            .filter(|c| c.method == method)
            .collect()
    }

    /// Messages delivered (answered with success) to `chat`.
    pub fn delivered_to(&self, chat: i64) -> Vec<Call> {
        self.calls_of("sendmessage")
            .into_iter()
            .filter(|c| c.ok && c.body["chat_id"] == chat)
            .collect()
    }

    /// Waits until at least `n` calls of `method` were made, and returns them all.
    pub async fn wait_for(&self, method: &str, n: usize) -> Vec<Call> {
        let method = method.to_lowercase();
        self.wait_until(&format!("{n} × {method}"), |calls| {
            let matching: Vec<Call> = calls
                .iter()
                .filter(|c| c.method == method)
                .cloned()
                .collect();
            (matching.len() >= n).then_some(matching)
        })
        .await
    }

    /// Waits (at most 15 s) until `check` finds what it wants in the calls so far.
    pub async fn wait_until<T>(&self, what: &str, check: impl Fn(&[Call]) -> Option<T>) -> T {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        loop {
            let notified = self.fake.changed.notified();
            if let Some(found) = check(&self.calls()) {
                return found;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                panic!(
                    "timed out waiting for {what}; calls so far:\n{:#?}",
                    self.calls()
                        .iter()
                        .map(|c| format!(
                            "{}{} {}",
                            c.method,
                            if c.ok { "" } else { " (failed)" },
                            c.body
                        ))
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

/// Accepts connections, or refuses them (by not listening) while told to.
async fn serve(fake: Arc<Fake>, port: u16, first: TcpListener) {
    let mut listener = Some(first);
    loop {
        let notified = fake.changed.notified();
        let refusing = fake.inner.lock().unwrap().everything == Some(Fault::Refuse);
        match (&listener, refusing) {
            (Some(_), true) => listener = None,
            (None, false) => {
                for _ in 0..50 {
                    if let Ok(l) = TcpListener::bind(("127.0.0.1", port)).await {
                        listener = Some(l);
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
            (Some(l), false) => {
                tokio::select! {
                    accepted = l.accept() => {
                        if let Ok((stream, _)) = accepted {
                            tokio::spawn(connection(fake.clone(), stream));
                        }
                    }
                    _ = notified => {}
                }
            }
            (None, true) => notified.await,
        }
    }
}

/// One request: read it, decide how to answer, answer (or misbehave).
async fn connection(fake: Arc<Fake>, mut stream: TcpStream) {
    let Some((method, body)) = read_request(&mut stream).await else {
        return;
    };
    let params: Value = serde_json::from_slice(&body).unwrap_or(json!({}));
    let (fault, generation) = {
        let mut inner = fake.inner.lock().unwrap();
        let once = inner
            .once
            .get_mut(&method)
            .and_then(|f| (!f.is_empty()).then(|| f.remove(0)));
        let fault = once
            .or_else(|| inner.lasting.get(&method).cloned())
            .or_else(|| inner.everything.clone());
        let ok = fault.is_none();
        inner.calls.push(Call {
            method: method.clone(),
            body: params.clone(),
            ok,
        });
        (fault, inner.generation)
    };
    fake.changed.notify_waiters();
    let (status, answer) = match fault {
        Some(Fault::Refuse | Fault::Reset) => return reset(stream),
        Some(Fault::Hang) => {
            let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
            loop {
                let notified = fake.changed.notified();
                if fake.inner.lock().unwrap().generation != generation {
                    break;
                }
                if tokio::time::timeout_at(deadline, notified).await.is_err() {
                    break;
                }
            }
            return reset(stream);
        }
        Some(Fault::Status(code)) => {
            let page = format!(
                "<html><head><title>{code}</title></head><body><center><h1>{code}</h1></center><hr><center>nginx</center></body></html>"
            );
            return respond(stream, code, "text/html", page.as_bytes()).await;
        }
        Some(Fault::Malformed) => {
            return respond(
                stream,
                200,
                "application/json",
                br#"{"ok":true,"result":[{"update_id":"#,
            )
            .await;
        }
        Some(Fault::Api {
            status,
            description,
            retry_after,
        }) => {
            let mut body = json!({"ok": false, "error_code": status, "description": description});
            if let Some(secs) = retry_after {
                body["parameters"] = json!({"retry_after": secs});
            }
            (status, Some(body.to_string()))
        }
        None => answer(&fake, &method, &params, generation).await,
    };
    // A long poll cut off by an outage that began while it waited.
    let (status, Some(answer)) = (status, answer) else {
        return reset(stream);
    };
    respond(stream, status, "application/json", answer.as_bytes()).await;
}

/// Drops the connection with a reset, not a close.
fn reset(stream: TcpStream) {
    #[allow(deprecated)]
    let _ = stream.set_linger(Some(Duration::ZERO));
    drop(stream);
}

async fn respond(mut stream: TcpStream, status: u16, content_type: &str, body: &[u8]) {
    let head = format!(
        "HTTP/1.1 {status} Fake\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(body).await;
    let _ = stream.shutdown().await;
}

/// The method (lower case, from `/bot<token>/<method>`) and the body of one request.
async fn read_request(stream: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut data = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    let head_end = loop {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).to_string();
    let path = head.split_whitespace().nth(1)?;
    let method = path.rsplit('/').next()?.split('?').next()?.to_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    while data.len() < head_end + length {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    }
    Some((method, data[head_end..head_end + length].to_vec()))
}

fn ok(result: Value) -> (u16, Option<String>) {
    (200, Some(json!({"ok": true, "result": result}).to_string()))
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

/// The right answer to `method`; `None` for a long poll that an outage cut off (begun
/// after `generation`).
async fn answer(fake: &Fake, method: &str, body: &Value, generation: u64) -> (u16, Option<String>) {
    match method {
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
            let limit = body["limit"].as_u64().unwrap_or(100).clamp(1, 100) as usize;
            let timeout = body["timeout"].as_u64().unwrap_or(0).min(5);
            let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);
            loop {
                let notified = fake.changed.notified();
                let ready: Vec<String> = {
                    let mut inner = fake.inner.lock().unwrap();
                    if inner.generation != generation && inner.everything.is_some() {
                        return (0, None);
                    }
                    inner
                        .updates
                        .retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
                    let raw = &inner.raw;
                    inner
                        .updates
                        .iter()
                        .take(limit)
                        .map(|u| match u.get("__raw") {
                            Some(_) => raw[&u["update_id"].as_i64().unwrap()].clone(),
                            None => u.to_string(),
                        })
                        .collect()
                };
                if !ready.is_empty() || tokio::time::timeout_at(deadline, notified).await.is_err() {
                    let body = format!(r#"{{"ok":true,"result":[{}]}}"#, ready.join(","));
                    return (200, Some(body));
                }
            }
        }
        "sendmessage" | "editmessagetext" | "editmessagereplymarkup" => {
            ok(sent_message(fake, body))
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
