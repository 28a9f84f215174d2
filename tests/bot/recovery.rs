//! Recovery and shutdown: back within the back-off cap once the API answers again, a 409
//! waited out, a stop bounded even when a request hangs (and nothing lost by it), and a
//! stop during start-up at once.

use std::time::{Duration, Instant};

use tokio::sync::oneshot;
use yibao_bot::Matcher;

use super::delivery::{QUESTIONS, answers, wait_for_answers};
use super::fake_api::{FakeApi, Fault};
use super::updates::private_text;
use super::{Harness, test_config};
use crate::common::faq_dir;

#[tokio::test(flavor = "multi_thread")]
async fn after_an_outage_the_bot_answers_within_its_back_off_cap() {
    let mut h = Harness::start(false).await;
    for (round, fault) in [Fault::Refuse, Fault::Status(502), Fault::Reset, Fault::Hang]
        .into_iter()
        .enumerate()
    {
        let user = 700 + round as i64;
        h.api.set_fault(None, Some(fault.clone()));
        h.api.push(private_text(user, QUESTIONS[round]));
        // Long enough for the back-off to reach its cap (200 ms in tests).
        tokio::time::sleep(Duration::from_millis(1200)).await;
        h.api.set_fault(None, None);
        let back = Instant::now();
        wait_for_answers(&h, user, 1).await;
        let took = back.elapsed();
        assert!(
            took < Duration::from_millis(1500),
            "{fault:?}: answered {took:?} after the outage"
        );
    }
    h.api.settle("sendmessage").await;
    for round in 0..4 {
        assert_eq!(answers(&h, 700 + round).len(), 1);
    }
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_409_conflict_is_waited_out() {
    let mut h = Harness::start(false).await;
    let conflict = Fault::api(
        409,
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    );
    h.api.set_fault(Some("getUpdates"), Some(conflict));
    h.api.push(private_text(710, QUESTIONS[0]));
    tokio::time::sleep(Duration::from_millis(500)).await;
    h.api.set_fault(Some("getUpdates"), None);
    wait_for_answers(&h, 710, 1).await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stop_is_bounded_when_a_request_hangs_and_loses_nothing() {
    let mut h = Harness::start(false).await;
    h.api.set_fault(Some("sendMessage"), Some(Fault::Hang));
    h.api.push(private_text(720, QUESTIONS[0]));
    h.api.wait_for("sendmessage", 1).await;
    let stopping = Instant::now();
    h.stop().await;
    let took = stopping.elapsed();
    // The grace is a second in tests.
    assert!(took < Duration::from_millis(1800), "stopping took {took:?}");

    h.api.set_fault(Some("sendMessage"), None);
    h.restart().await;
    wait_for_answers(&h, 720, 1).await;
    h.api.settle("sendmessage").await;
    assert_eq!(answers(&h, 720).len(), 1);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stop_while_starting_ends_it_at_once() {
    let api = FakeApi::start(false).await;
    api.set_fault(Some("getMe"), Some(Fault::Hang));
    let dir = tempfile::tempdir().unwrap();
    let config = test_config(&api, &dir.path().join("bot.db"));
    let (stop, stopped) = oneshot::channel::<()>();
    let matcher = Matcher::load(&faq_dir()).unwrap();
    let bot = tokio::spawn(yibao_bot::run_bot(config, matcher, async move {
        let _ = stopped.await;
    }));
    api.wait_for("getme", 1).await;
    let stopping = Instant::now();
    let _ = stop.send(());
    let result = tokio::time::timeout(Duration::from_secs(1), bot)
        .await
        .expect("stops within a second")
        .unwrap();
    assert!(result.is_ok(), "{result:?}");
    assert!(stopping.elapsed() < Duration::from_millis(500));
}
