//! Updates as Telegram sends them, for the fake API's queue.

use std::sync::atomic::{AtomicI64, Ordering};

use serde_json::{Value, json};

static NEXT_MESSAGE: AtomicI64 = AtomicI64::new(1);

pub const GROUP: i64 = -100_555_000_111;

pub fn next_id() -> i64 {
    NEXT_MESSAGE.fetch_add(1, Ordering::SeqCst)
}

/// Now, as Telegram dates messages (unix seconds): the flood limit goes by it.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

pub fn user(id: i64) -> Value {
    json!({"id": id, "is_bot": false, "first_name": format!("用户{id}"), "language_code": "zh-hans"})
}

/// A private-chat message from `user_id`, sent now.
pub fn private_message(user_id: i64, text: &str) -> Value {
    private_message_at(user_id, text, now())
}

/// A private-chat message from `user_id`, sent at `date`.
pub fn private_message_at(user_id: i64, text: &str, date: i64) -> Value {
    json!({
        "message_id": next_id(),
        "date": date,
        "chat": {"id": user_id, "type": "private", "first_name": format!("用户{user_id}")},
        "from": user(user_id),
        "text": text,
    })
}

pub fn private_text(user_id: i64, text: &str) -> Value {
    json!({"message": private_message(user_id, text)})
}

/// A group message from `user_id`, optionally in forum topic `thread` and replying to
/// `reply_to`.
pub fn group_message(
    user_id: i64,
    text: &str,
    thread: Option<i64>,
    reply_to: Option<Value>,
) -> Value {
    let mut msg = json!({
        "message_id": next_id(),
        "date": now(),
        "chat": {"id": GROUP, "type": "supergroup", "title": "医保互助群", "is_forum": thread.is_some()},
        "from": user(user_id),
        "text": text,
    });
    if let Some(t) = thread {
        msg["message_thread_id"] = json!(t);
        msg["is_topic_message"] = json!(true);
    }
    if let Some(r) = reply_to {
        msg["reply_to_message"] = r;
    }
    msg
}

pub fn group_text(user_id: i64, text: &str) -> Value {
    json!({"message": group_message(user_id, text, None, None)})
}

/// A message the bot sent (as it appears in replies and callbacks).
pub fn bot_message(chat: i64, message_id: i64, text: &str, markup: Option<Value>) -> Value {
    let chat = if chat > 0 {
        json!({"id": chat, "type": "private", "first_name": "用户"})
    } else {
        json!({"id": chat, "type": "supergroup", "title": "医保互助群"})
    };
    let mut msg = json!({
        "message_id": message_id,
        "date": 1_760_000_000,
        "chat": chat,
        "from": {"id": super::fake_api::BOT_ID, "is_bot": true, "first_name": "医保小助手", "username": super::fake_api::BOT_USERNAME},
        "text": text,
    });
    if let Some(m) = markup {
        msg["reply_markup"] = m;
    }
    msg
}

/// A tap on a button of `message` by `user_id`.
pub fn callback(user_id: i64, message: Value, data: &str) -> Value {
    json!({"callback_query": {
        "id": format!("cb{}", next_id()),
        "from": user(user_id),
        "chat_instance": "instance",
        "data": data,
        "message": message,
    }})
}

pub fn inline_query(user_id: i64, query: &str) -> Value {
    json!({"inline_query": {"id": format!("iq{}", next_id()), "from": user(user_id), "query": query, "offset": ""}})
}

pub fn photo(user_id: i64) -> Value {
    let mut msg = private_message(user_id, "");
    msg.as_object_mut().unwrap().remove("text");
    msg["photo"] = json!([{"file_id": "f", "file_unique_id": "u", "width": 10, "height": 10}]);
    msg["caption"] = json!("异地医保余额可以用吗");
    json!({"message": msg})
}

pub fn edited(user_id: i64, text: &str) -> Value {
    json!({"edited_message": private_message(user_id, text)})
}
