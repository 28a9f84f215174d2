
#[tokio::test(flavor = "multi_thread")]
async fn a_very_long_question_says_it_was_read_in_part_and_holds_nobody_up() {
    let mut h = Harness::start(false).await;
    // Telegram's longest messages, from four users at once.
    let essay: String = std::iter::repeat("我想问一下异地就医备案以后报销比例是多少，")
        .take(200)
        .collect::<String>()
        .chars()
        .take(4096)
        .collect();
    for user in 0..4 {
        h.api.push(private_text(610 + user, &essay));
    }
    let asked = std::time::Instant::now();
    h.api.push(private_text(620, QUESTIONS[0]));
    wait_for_answers(&h, 620, 1).await;
    assert!(
        asked.elapsed() < std::time::Duration::from_secs(1),
        "{:?}",
        asked.elapsed()
    );
    for user in 0..4 {
        let first = h
            .api
            .wait_until("a reply to the essay", |calls| {
                calls
                    .iter()
                    .find(|c| c.ok && c.body["chat_id"] == 610 + user)
                    .cloned()
            })
            .await;
        assert!(
            text(&first).starts_with("（问题较长，我只读了前 500 个字。）"),
            "{}",
            text(&first)
        );
        assert!(text(&first).chars().count() <= 4096);
    }
    h.stop().await;
}
