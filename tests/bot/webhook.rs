//! Webhook mode: setWebhook with the secret, updates accepted only with it, /healthz.

use std::net::TcpListener;

use yibao_bot::Mode;

use super::updates::private_text;
use super::{Harness, text};

#[tokio::test(flavor = "multi_thread")]
async fn webhook_updates_need_the_secret_and_healthz_answers() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}").parse().unwrap();
    let url: url::Url = format!("http://127.0.0.1:{port}/telegram").parse().unwrap();
    let mut h = Harness::start_with(|c| {
        c.mode = Mode::Webhook {
            url: url.clone(),
            listen,
            secret: Some("s3cret-token".into()),
        }
    })
    .await;
    let set = h.api.calls_of("setwebhook").remove(0);
    assert_eq!(set.body["url"], url.as_str());
    assert_eq!(set.body["secret_token"], "s3cret-token");

    let client = reqwest::Client::new();
    let mut update = private_text(5, "异地医保余额可以用吗");
    update["update_id"] = 1.into();
    let refused = client
        .post(url.clone())
        .header("X-Telegram-Bot-Api-Secret-Token", "wrong")
        .json(&update)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    assert_eq!(h.api.settle("sendmessage").await.len(), 0);

    let accepted = client
        .post(url.clone())
        .header("X-Telegram-Bot-Api-Secret-Token", "s3cret-token")
        .json(&update)
        .send()
        .await
        .unwrap();
    assert!(accepted.status().is_success());
    let reply = h.api.wait_for("sendmessage", 1).await.remove(0);
    assert!(text(&reply).contains("异地医保余额可以使用吗?"));

    let health = client
        .get(format!("http://127.0.0.1:{port}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let said = health.text().await.unwrap();
    assert!(said.starts_with("ok: Bot API reached"), "{said}");
    h.stop().await;
}
