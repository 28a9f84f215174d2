//! `/metrics` and `/healthz` (polling with `--metrics`): counters move with traffic.

use super::fake_api::Fault;
use super::updates::private_text;
use super::{Harness, text};

/// A free port on the loopback interface.
fn free_addr() -> std::net::SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

async fn get(url: &str) -> (u16, String) {
    let response = reqwest::get(url).await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// The value of one sample (`name{labels}` exactly as written), 0 when absent.
fn sample(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or(0.0)
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_count_updates_answers_engine_time_and_api_failures() {
    let addr = free_addr();
    let mut h = Harness::start_with(move |c| c.metrics = Some(addr)).await;
    let url = format!("http://{addr}/metrics");
    let (status, before) = get(&url).await;
    assert_eq!(status, 200, "{before}");
    assert_eq!(sample(&before, "yibao_corpus_entries"), 70.0);

    let answered = h
        .expect_message(private_text(920, "异地医保余额可以用吗"), 1)
        .await;
    assert!(text(&answered).contains("可以"));
    h.expect_message(private_text(920, "明天会下雨吗"), 2).await;
    // A delivery that fails once with a 500, then goes through.
    h.api.fail_next_with("sendMessage", Fault::Status(500));
    h.expect_message(private_text(921, "家庭共济能绑父母吗"), 3)
        .await;
    h.api.wait_for("sendmessage", 4).await;

    // Delivered replies leave the outbox once Telegram has answered.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let after = loop {
        let (_, after) = get(&url).await;
        if sample(&after, "yibao_pending_replies") == 0.0 {
            break after;
        }
        assert!(std::time::Instant::now() < deadline, "{after}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let moved = |series: &str| sample(&after, series) - sample(&before, series);
    assert_eq!(
        moved("yibao_updates_total{kind=\"message\"}"),
        3.0,
        "{after}"
    );
    assert_eq!(
        moved("yibao_answers_total{outcome=\"answer\"}"),
        2.0,
        "{after}"
    );
    assert_eq!(
        moved("yibao_answers_total{outcome=\"out_of_scope\"}")
            + moved("yibao_answers_total{outcome=\"none\"}"),
        1.0,
        "{after}"
    );
    assert!(moved("yibao_engine_seconds_count") >= 3.0, "{after}");
    assert_eq!(
        moved("yibao_api_errors_total{kind=\"server\"}"),
        1.0,
        "{after}"
    );
    assert!(moved("yibao_retries_total") >= 1.0, "{after}");

    let (status, health) = get(&format!("http://{addr}/healthz")).await;
    assert_eq!(status, 200, "{health}");
    assert!(health.starts_with("ok: Bot API reached"), "{health}");
    h.stop().await;
}
