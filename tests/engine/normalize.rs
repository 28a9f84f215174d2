//! Normalisation: the many ways a question can be typed read as one.

use yibao_bot::normalize::{Normalizer, fold};

use crate::common::{assert_answers, matcher};

#[test]
fn full_width_case_and_punctuation_are_folded() {
    let n = Normalizer::new();
    assert_eq!(n.normalize("ＡＰＰ怎么备案？？"), "app怎么备案");
    assert_eq!(n.normalize("医保，12393！"), "医保 12393");
    assert_eq!(n.normalize("  异地   医保  "), "异地 医保");
}

#[test]
fn traditional_characters_become_simplified() {
    let n = Normalizer::new();
    assert_eq!(n.normalize("異地醫保餘額能用嗎"), "异地医保余额能用吗");
    assert_eq!(n.normalize("家庭共濟怎麼綁定"), "家庭共济怎么绑定");
}

#[test]
fn emoji_zero_width_and_control_characters_go() {
    let n = Normalizer::new();
    assert_eq!(n.normalize("备\u{200B}案😊怎么办🙏"), "备案 怎么办");
    assert_eq!(n.normalize("医保\u{FEFF}卡\u{0007}"), "医保卡");
    assert_eq!(n.normalize("👍👍"), "");
}

#[test]
fn mentions_and_a_leading_command_are_dropped() {
    let n = Normalizer::new();
    assert_eq!(n.normalize("@yibao_bot 异地备案"), "异地备案");
    assert_eq!(n.normalize("/ask@yibao_bot 异地备案"), "异地备案");
    assert_eq!(n.normalize("/ask 家庭共济"), "家庭共济");
    assert_eq!(n.normalize("请问 @someone_else 医保"), "请问 医保");
}

#[test]
fn fold_is_a_comparison_key() {
    assert_eq!(fold("能用吗？"), fold("能用吗"));
    assert_eq!(fold("ＡＢＣ 1,2"), "abc12");
}

#[test]
fn the_same_question_typed_many_ways_gets_the_same_answer() {
    let plain = "异地医保余额可以用吗";
    for typed in [
        plain,
        "異地醫保餘額可以用嗎",
        "@yibao_bot 异地医保余额可以用吗？？",
        "/ask@yibao_bot 异地医保余额可以用吗",
        "请问异地医保余额可以用吗，谢谢🙏",
        "异地医保余额可以用吗\u{200B}",
        "ｙｉｂａｏ 异地医保余额可以用吗",
    ] {
        assert_answers(typed, "yidi-yue-shiyong");
    }
}

#[test]
fn filler_words_do_not_count_as_content() {
    let a = matcher().analyze("你好，请问一下，谢谢");
    assert!(a.words.is_empty(), "{:?}", a.words);
}
