//! Properties of extraction that must hold for any text.

use factrules::{Article, Extraction, FactKey};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

use crate::bundled;

/// Pieces of the domain's text, so generated articles actually match rules.
const PIECES: &[&str] = &[
    "Ngoại trưởng Nga Sergei Lavrov ",
    "khoảng 30.000 người thiệt mạng",
    "ngày 21/10",
    " 20 và 21/10 ",
    "tại Moskva",
    "from February 1988 to May 1994",
    " killed at least 400 people ",
    "Igor Hovaevwho ",
    "Politico Europe",
    " October 9, 2020 ",
    "Thursday",
    " date 2023-11-05 ",
    "Thượng Karabakh ",
    "gần một nghìn người thiệt mạng",
    "\u{301}",
    "e\u{302}\u{301}",
    " ",
];

fn article_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof![prop::sample::select(PIECES).prop_map(str::to_string), any::<String>()], 0..12)
        .prop_map(|parts| parts.concat())
}

fn keys(e: &Extraction) -> Vec<FactKey> {
    e.facts.iter().map(|f| f.key.clone()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn spans_are_char_boundaries_inside_the_text_and_match_the_mention(text in article_text()) {
        let article = Article::from_text("p", text.clone());
        let extraction = bundled().extract(&article);
        for fact in &extraction.facts {
            for m in &fact.mentions {
                prop_assert!(m.start < m.end && m.end <= text.len());
                prop_assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
                prop_assert_eq!(&text[m.start..m.end], m.text.as_str());
            }
        }
    }

    #[test]
    fn nfc_and_nfd_input_give_the_same_facts(text in article_text()) {
        let nfc: String = text.nfc().collect();
        let nfd: String = text.nfd().collect();
        let a = bundled().extract(&Article::from_text("p", nfc));
        let mut b_article = Article::from_text("p", nfd);
        b_article.language = Article::from_text("p", text.nfc().collect::<String>()).language;
        let b = bundled().extract(&b_article);
        prop_assert_eq!(keys(&a), keys(&b));
    }

    #[test]
    fn parallel_extraction_equals_sequential(texts in prop::collection::vec(article_text(), 0..16)) {
        let articles: Vec<Article> =
            texts.into_iter().enumerate().map(|(i, t)| Article::from_text(format!("a{i}"), t)).collect();
        let parallel = bundled().extract_all(&articles);
        let sequential: Vec<Extraction> = articles.iter().map(|a| bundled().extract(a)).collect();
        prop_assert_eq!(parallel, sequential);
    }
}

#[test]
fn nfd_vietnamese_article_gives_the_facts_of_its_nfc_form() {
    let text = std::fs::read_to_string(crate::root("corpus/002_2bfd0765ca70697a.txt")).unwrap();
    let nfd: String = text.nfd().collect();
    let mut a = Article::from_text("x", text);
    let mut b = Article::from_text("x", nfd.clone());
    a.language = factrules::Language::Vi;
    b.language = factrules::Language::Vi;
    let (ea, eb) = (bundled().extract(&a), bundled().extract(&b));
    assert!(ea.facts.len() > 10, "the article should give facts");
    assert_eq!(keys(&ea), keys(&eb));
    for m in eb.facts.iter().flat_map(|f| &f.mentions) {
        assert_eq!(&nfd[m.start..m.end], m.text);
    }
}
