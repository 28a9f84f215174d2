//! The line a group answer gets when the question holds a personal identifier (身份证号,
//! phone, 医保卡 / 社保卡 or bank card number): everyone in the group can read it, so the
//! asker is advised, once per such answer, not to post such numbers in public.

use crate::engine::has_identifiers;

/// Appended (on a line of its own) to a group answer whose question holds an identifier.
pub const PII_IN_GROUP: &str =
    "🔒 请勿在群里发送身份证号、手机号、医保卡/社保卡号或银行卡号，群成员都能看到。";

/// The advisory line for a question asked in a group, if it holds an identifier.
pub fn group_pii_advisory(question: &str) -> Option<&'static str> {
    has_identifiers(question).then_some(PII_IN_GROUP)
}

/// The note shown with a reply (`note`, if any), with the advisory added on its own line
/// for a group question that holds an identifier.
pub fn with_group_advisory(note: Option<String>, group: bool, question: &str) -> Option<String> {
    match (note, group.then(|| group_pii_advisory(question)).flatten()) {
        (Some(note), Some(line)) => Some(format!("{note}\n{line}")),
        (note, line) => note.or(line.map(str::to_string)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_with_an_identifier_gets_the_advisory_and_others_do_not() {
        for question in [
            "我身份证110101199003071234为什么查不到参保",
            "@yibao_bot 电话13812345678能办异地备案吗",
            "社保卡号 123456789 丢了怎么办",
            "6222021234567890这张卡能绑医保吗",
        ] {
            assert_eq!(
                group_pii_advisory(question),
                Some(PII_IN_GROUP),
                "{question}"
            );
        }
        for question in ["异地就医怎么备案", "2025年缴费标准是多少", "打12393问问"]
        {
            assert_eq!(group_pii_advisory(question), None, "{question}");
        }
    }

    #[test]
    fn the_advisory_is_for_groups_and_joins_another_note() {
        let pii = "电话13812345678能备案吗";
        assert_eq!(with_group_advisory(None, false, pii), None);
        assert_eq!(
            with_group_advisory(None, true, pii).as_deref(),
            Some(PII_IN_GROUP)
        );
        assert_eq!(
            with_group_advisory(Some("太长了".into()), true, pii),
            Some(format!("太长了\n{PII_IN_GROUP}"))
        );
        assert_eq!(
            with_group_advisory(Some("太长了".into()), true, "异地备案").as_deref(),
            Some("太长了")
        );
    }
}
