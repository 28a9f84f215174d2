//! Matching on the shipped corpus: synonyms, names that must agree, typos, sections,
//! and what must be declined.

use yibao_bot::{Decline, Outcome};

use crate::common::{answer_id, assert_answers, assert_answers_any, assert_declined, matcher};

#[test]
fn synonyms_people_use_reach_the_same_entry() {
    // Both the 家庭共济 article (who may be bound) and the 父母户口 item answer this.
    for parents in [
        "家庭共济能绑父母吗",
        "家庭共济能绑爸妈吗",
        "家庭共济能绑老爸老妈吗",
    ] {
        assert_answers_any(parents, &["gongji-shengnei", "gongji-fumu-hukou"]);
    }
    assert_answers("外地户口办医保要什么条件", "waidi-hukou-tiaojian");
    assert_answers("异地户口办医保要什么条件", "waidi-hukou-tiaojian");
    assert_answers("2024年河南新农合怎么交", "henan-2024-nonghe-jiaofei");
    assert_answers("2024年河南农村医保怎么交", "henan-2024-nonghe-jiaofei");
    assert_answers("社保卡去药店买药扣的是什么钱", "yaodian-maiyao-qian");
    // Getting a card (办医保卡) is not enrolling (办医保 = 参保).
    assert_answers("新入职了要不要去办社保卡", "zhigong-chongxin-banka");
    let words = matcher().analyze("去哪里办理医保卡").words;
    assert!(!words.contains(&"参保".to_string()), "{words:?}");
    // Doing a thing again (重新办理) is not getting a new card (重新办卡).
    let words = matcher().analyze("备案被退回了要重新办理吗").words;
    assert!(!words.contains(&"重新办卡".to_string()), "{words:?}");
    // How long one pays is not how much (交多少年 is not 多少钱 + 年), and 能不交 says 不.
    let words = matcher().analyze("灵活就业医保要缴多少年才行").words;
    assert!(!words.contains(&"多少钱".to_string()), "{words:?}");
    let words = matcher().analyze("我能不交居民医保吗").words;
    assert!(words.contains(&"¬交".to_string()), "{words:?}");
    let words = matcher().analyze("住院前能不能不备案").words;
    assert!(words.contains(&"¬备案".to_string()), "{words:?}");
    // 先干嘛后干嘛 asks for the steps; 家庭共计 is how pinyin input spells 家庭共济.
    let words = matcher().analyze("外地住院报销先干啥后干啥").words;
    assert!(words.contains(&"流程".to_string()), "{words:?}");
    assert_answers("家庭共计查询", "gongji-chaxun");
    let words = matcher().analyze("家庭共计怎么查").words;
    assert!(words.contains(&"家庭共济".to_string()), "{words:?}");
}

#[test]
fn a_word_split_by_a_particle_is_read_whole() {
    // 住了院 is 住院, 备过案 is 备案: the particle (`infix` in words.txt) moves after it.
    let words = matcher().analyze("我爸在外地住了院 之前备过案").words;
    for word in ["住院", "备案"] {
        assert!(words.contains(&word.to_string()), "{words:?}");
    }
    // Checked as the synonyms read it: 看过病 is 就医; and 缴了费用 keeps its 费用.
    let words = matcher().analyze("我妈去医院看过病 能报吗").words;
    assert!(words.contains(&"就医".to_string()), "{words:?}");
    let words = matcher().analyze("缴了费用还没到账").words;
    assert!(words.contains(&"费用".to_string()), "{words:?}");
    // Characters around a particle that make no corpus word stay apart (去了医院).
    let words = matcher().analyze("去了医院").words;
    assert!(words.contains(&"医院".to_string()), "{words:?}");
}

#[test]
fn places_pick_the_right_twin() {
    assert_answers("运城异地透析医保报销比例", "yuncheng-touxi-2025");
    assert_answers("阳泉异地透析报销比例是多少", "yangquan-touxi-2025");
    assert_answers("江苏医保在江西能用吗", "jiangsu-jiangxi");
    assert_answers("江苏医保去省外能用吗", "jiangsu-shengwai");
    assert_answers("自贡异地就医备案失败怎么办", "zigong-beian-shibai");
}

#[test]
fn a_city_agrees_with_its_province() {
    // 哈尔滨 is in 黑龙江: the 黑龙江 entry answers.
    assert_answers("哈尔滨医保卡去北京看病能用吗", "heilongjiang-beijing");
}

#[test]
fn naming_the_other_side_too_is_no_licence_to_answer_for_the_wrong_one() {
    // 广东 insured going to 江西 is not what 江西可以异地刷医保吗 answers.
    if let Ok(id) = answer_id("广东医保去江西能刷吗") {
        assert_ne!(id, "jiangxi-yidi");
    }
    if let Ok(id) = answer_id("浙江医保在江苏能用吗") {
        assert!(!id.starts_with("jiangsu"), "{id}");
    }
}

#[test]
fn another_place_never_gets_a_place_specific_answer() {
    for (question, not) in [
        (
            "广州异地透析医保报销比例",
            ["yuncheng-touxi-2025", "yangquan-touxi-2025"],
        ),
        (
            "大同异地透析报销比例",
            ["yuncheng-touxi-2025", "yangquan-touxi-2025"],
        ),
        (
            "绵阳异地就医报销流程",
            ["chengdu-yidi-liucheng", "chengdu-yidi-tiaojian"],
        ),
        (
            "湖北省直医保报销明细",
            ["hunan-shengzhi-baoxiao", "hunan-shengzhi-baoxiao"],
        ),
    ] {
        if let Ok(id) = answer_id(question) {
            assert!(!not.contains(&id.as_str()), "{question} got {id}");
        }
    }
}

#[test]
fn years_must_agree() {
    assert_answers("河南医保2024年多少钱", "henan-2024-jiaofei");
    // A question about 2022 never gets the 2024 or 2023 figures.
    for question in ["河南医保2022年多少钱", "2021年贵州医保缴费标准"] {
        if let Ok(id) = answer_id(question) {
            assert!(
                id != "henan-2024-jiaofei" && id != "guizhou-2023-jiaofei",
                "{question} got {id}"
            );
        }
    }
}

#[test]
fn procedures_pick_the_right_tieling_entry() {
    assert_answers("铁岭胃底折叠术能走医保吗", "tieling-weidi-zhedie");
    assert_answers("铁岭做经皮椎体成形术医保能报吗", "tieling-zhuiti-chengxing");
    assert_answers("铁岭儿童隐睾手术能走医保吗", "tieling-yingao");
    assert_answers("铁岭经尿道膀胱颈切开术能报销吗", "tieling-pangguangjing");
}

#[test]
fn the_kind_of_question_picks_the_right_twin() {
    assert_answers("2024河南新农合怎么交", "henan-2024-nonghe-jiaofei");
    assert_answers("2024年河南医保交多少钱", "henan-2024-jiaofei");
    assert_answers("成都异地就医报销需要什么条件", "chengdu-yidi-tiaojian");
    assert_answers("成都异地就医报销流程", "chengdu-yidi-liucheng");
}

#[test]
fn a_one_character_typo_is_tolerated() {
    assert_answers("少儿医保异地就医被案", "shaoer-yidi-beian");
    assert_answers("居民医保能报消人流吗", "jumin-renliu");
    let a = matcher().analyze("异地就医被案怎么办");
    assert!(a.words.contains(&"备案".to_string()), "{:?}", a.words);
}

#[test]
fn a_word_spelt_in_pinyin_is_read_as_the_corpus_word() {
    let words = |q: &str| matcher().analyze(q).words;
    assert!(words("家庭gongji怎么绑定").contains(&"家庭共济".to_string()));
    assert!(words("yidi beian 要多久").contains(&"备案".to_string()));
    let a = matcher().analyze("shanghai的医保在江苏能用吗");
    let names: Vec<&str> = a.places.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["上海", "江苏"]);
    assert_answers("药店maiyao能用医保卡里的钱吗", "yaodian-maiyao-qian");
    assert_answers("zhuanyi医保余额怎么弄", "yidi-yue-zhuan");
    // An out-of-scope phrase spelt in pinyin is declined as the phrase is (公积金, 养老金).
    for question in ["gongjijin怎么提取出来", "yanglaojin每个月发多少"] {
        match matcher().ask(question) {
            Outcome::None(Decline::OutOfScope(_)) => {}
            other => panic!("{question}: {other:?}"),
        }
    }
    // A Latin word that spells no corpus word, or is too short to be sure of, stays.
    for (question, kept) in [
        ("app上怎么备案", "app"),
        ("上海医保 deadline 几号", "deadline"),
    ] {
        assert!(words(question).contains(&kept.to_string()), "{question}");
    }
}

#[test]
fn a_real_word_is_not_mistaken_for_a_typo() {
    // 医保局 is not a typo of 医保卡; 备案会 is not 备安徽; 浙江医保 is not 浙里医保.
    let a = matcher().analyze("医保局备案会很慢吗");
    assert!(a.words.contains(&"医保局".to_string()), "{:?}", a.words);
    assert!(a.places.is_empty(), "{:?}", a.places);
    // A character that is a word of its own is no typo: 和市 is 和 + 市, not 何时.
    for question in ["职工医保和市医保有啥区别", "我的医保和市民卡有关系吗"]
    {
        let a = matcher().analyze(question);
        assert!(!a.words.contains(&"何时".to_string()), "{:?}", a.words);
    }
    // Nor is a light verb (`faq/words.txt`): 上办 of 手机上办 is 上 + 办, not 上班.
    for question in ["手机上办异地备案难不难", "微信上办备案要多久"] {
        let a = matcher().analyze(question);
        assert!(!a.words.contains(&"上班".to_string()), "{:?}", a.words);
    }
    // A repair never writes a negation in (能补 is not 能不), never cuts a dictionary
    // word in two (公积金能 is not 公积 + 不能), and never takes a word and its neighbour
    // for a longer word (身份证丢 is not 身份证号).
    let words = |q: &str| matcher().analyze(q).words;
    for (question, kept) in [
        ("去年忘交了今年还能补交吗", "补交"),
        ("医保断了半年能补吗", "补"),
        ("公积金能自己交吗", "公积金"),
        ("已实现异地直接结算的医院有哪些", "实现"),
        ("我身份证丢了还能办备案吗", "身份证"),
    ] {
        let w = words(question);
        assert!(w.contains(&kept.to_string()), "{question}: {w:?}");
        assert!(!w.iter().any(|w| w.contains('不')), "{question}: {w:?}");
    }
    // Real typos are still repaired beside corpus words.
    assert!(words("我妈异地被案要多久").contains(&"异地备案".to_string()));
    assert!(words("共记账户里的钱能取吗").contains(&"共济账户".to_string()));
    let a = matcher().analyze("浙江医保在江苏能用吗");
    let names: Vec<&str> = a.places.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["浙江", "江苏"]);
}

#[test]
fn detail_questions_get_the_section_that_answers_them() {
    let m = matcher();
    for (question, entry, section_mentions) in [
        ("家庭共济最多绑几个人", "gongji-shengnei", "5"),
        ("异地备案有效期多久", "yidi-beian-liucheng", "6个月"),
        ("异地急诊没备案怎么办", "yidi-yue-shiyong", "3个工作日"),
        ("医保咨询电话是多少", "jumin-shengwai-bili", "12393"),
    ] {
        match m.ask(question) {
            Outcome::Answer(hit) => {
                let view = m.view(&hit);
                assert_eq!(view.entry.id, entry, "{question}");
                let section = view
                    .section
                    .unwrap_or_else(|| panic!("{question}: no section"));
                assert!(
                    section.answer.contains(section_mentions),
                    "{question}: {}",
                    section.answer
                );
            }
            other => panic!("{question}: {other:?}"),
        }
    }
}

#[test]
fn out_of_scope_questions_are_declined() {
    for question in [
        "金昌哪个医院看眼睛好",
        "鹤岗治疗视网膜病变的医院排名",
        "黄曲霉素在什么环境下产生",
        "新生儿糖尿病会不会传染",
        "克州属于哪个市",
        "头疼吃什么药",
        "公积金怎么提取",
        "今天天气怎么样",
        "你是谁",
        "早上好",
        "ok",
        "。。。",
        "好的",
        "好的谢谢",
        "不是",
        "没有",
        "为什么",
        "什么意思",
        "一样吗",
        "满",
        "1",
        "收到",
        "",
        "   ",
        "😂😂😂",
    ] {
        assert_declined(question);
    }
}

#[test]
fn an_out_of_scope_topic_is_named() {
    let m = matcher();
    match m.ask("郑州哪家医院看咽喉好") {
        Outcome::None(Decline::OutOfScope(t)) => {
            assert_eq!(m.corpus().out_of_scope.topics()[t].name, "医院推荐")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn suggestions_are_few_distinct_and_best_first() {
    let m = matcher();
    // Two near twins and nothing to choose between them.
    match m.ask("山西异地透析报销比例") {
        Outcome::Suggest(hits) => {
            assert!(hits.len() >= 2 && hits.len() <= 3, "{hits:?}");
            assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
            let ids: Vec<&str> = hits.iter().map(|h| m.view(h).entry.id.as_str()).collect();
            assert!(
                ids.contains(&"yuncheng-touxi-2025") && ids.contains(&"yangquan-touxi-2025"),
                "{ids:?}"
            );
        }
        other => panic!("expected suggestions, got {other:?}"),
    }
}

#[test]
fn related_entries_exclude_the_entry_itself() {
    let m = matcher();
    let i = m
        .corpus()
        .entries
        .iter()
        .position(|e| e.id == "yidi-yue-zhuan")
        .unwrap();
    let related = m.related(i, 3);
    assert!(!related.is_empty() && related.len() <= 3);
    assert!(related.iter().all(|h| h.entry != i));
}

#[test]
fn ask_and_search_says_what_ask_says() {
    let m = matcher();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut asked = 0;
    for file in ["labelled-chat.tsv", "labelled-2.tsv"] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let Some((_, q)) = line.split_once('\t') else {
                continue;
            };
            let (outcome, found) = m.ask_and_search(q, 5);
            assert_eq!(outcome, m.ask(q), "{q}");
            assert!(found.len() <= 5, "{q}");
            assert!(found.windows(2).all(|w| w[0].score >= w[1].score), "{q}");
            asked += 1;
        }
    }
    assert!(asked > 500, "{asked}");
    // Declined before matching: nothing to list.
    let (outcome, found) = m.ask_and_search("公积金怎么提取", 5);
    assert!(matches!(outcome, Outcome::None(Decline::OutOfScope(_))));
    assert!(found.is_empty());
}
