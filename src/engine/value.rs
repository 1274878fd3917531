//! Turning a match into a value: dates, counts, canonical names.
//!
//! A match first becomes a [`Draft`]: what the text says, checked (no 31
//! February, no month 13) but not yet resolved against the article's date.
//! Resolution ([`resolve_date`]) happens once the article's date is known,
//! after overlaps are settled, so a header date found anywhere in the article
//! serves every yearless date in it.

use std::borrow::Cow;

use jiff::civil::{Date, Weekday};
use jiff::ToSpan;

use crate::article::{Language, PartialDate};
use crate::rules::{Direction, Lexicons};

/// What a match says, before it is resolved against the article's date.
///
/// Names and attributes are borrowed from the rule set (`'s`) where they
/// come from it (a gazetteer entry, a lexicon value, a rule's `set:`), which
/// is nearly always: a draft is made for every match, and most matches are
/// gazetteer names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Draft<'s> {
    /// A date, or a range `start/end`.
    Date(DateExpr, Option<DateExpr>),
    /// An envoy with attributes. `titled` when the text itself gave the
    /// role ("Deputy Foreign Minister X"), which then outranks the role a
    /// gazetteer lists for the person.
    Envoy { name: Cow<'s, str>, role: Option<Cow<'s, str>>, represents: Option<Cow<'s, str>>, titled: bool },
    /// A casualty figure.
    Casualty { count: u64, qualifier: Cow<'s, str>, outcome: Cow<'s, str> },
    /// A location.
    Location(Cow<'s, str>),
    /// A suppressing match: wins overlaps, states nothing.
    Suppress,
}

/// A date as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateExpr {
    /// Calendar fields; the year may be missing ("27/9", "September 17").
    Calendar { year: Option<i16>, month: Option<i8>, day: Option<i8> },
    /// A decade, "the 1990s": the first year.
    Decade(i16),
    /// A weekday without a date ("on Friday").
    Weekday(Weekday, Direction),
    /// An offset from the article's date ("yesterday", "last month").
    Relative(Unit, i32),
    /// A month (and day) of a year counted from the article's ("tháng 12
    /// năm ngoái", "in December last year").
    InRelativeYear { offset: i32, month: i8, day: Option<i8> },
}

/// The unit of a relative date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Day,
    /// An ISO week (`2020-W41`): "last week" names a week, not a day.
    Week,
    Month,
    Year,
}

/// The date fields a match captured, as text.
#[derive(Debug, Default)]
pub(crate) struct DateFields<'t> {
    pub year: Option<&'t str>,
    pub month: Option<&'t str>,
    pub day: Option<&'t str>,
    pub end_year: Option<&'t str>,
    pub end_month: Option<&'t str>,
    pub end_day: Option<&'t str>,
    pub weekday: Option<&'t str>,
    pub relative: Option<&'t str>,
    pub decade: Option<&'t str>,
}

/// Builds a date draft; `None` when the fields do not make a real date.
pub(crate) fn date_draft(f: &DateFields, lex: &Lexicons, direction: Direction) -> Option<Draft<'static>> {
    if let Some(w) = f.weekday {
        let n: i8 = lex.lookup("weekday", w)?.parse().ok()?;
        let wd = Weekday::from_monday_one_offset(n).ok()?;
        return Some(Draft::Date(DateExpr::Weekday(wd, direction), None));
    }
    if let Some(r) = f.relative {
        let relative = parse_relative(lex.lookup("relative", r)?)?;
        return Some(Draft::Date(
            match (relative, parse_month(f.month, lex)?) {
                (DateExpr::Relative(Unit::Year, offset), Some(month)) => {
                    DateExpr::InRelativeYear { offset, month, day: parse_day(f.day, lex)? }
                }
                (relative, _) => relative,
            },
            None,
        ));
    }
    if let Some(d) = f.decade {
        let year: i16 = digits(d)?.parse().ok()?;
        return (year % 10 == 0).then_some(Draft::Date(DateExpr::Decade(year), None));
    }
    let start = (parse_year(f.year)?, parse_month(f.month, lex)?, parse_day(f.day, lex)?);
    let has_end = f.end_year.is_some() || f.end_month.is_some() || f.end_day.is_some();
    if !has_end {
        return Some(Draft::Date(calendar(start)?, None));
    }
    let end_year = match f.end_year.and_then(digits).filter(|d| d.len() == 2) {
        Some(short) => Some(Some(short_end_year(start.0?, short)?)),
        None => parse_year(f.end_year),
    };
    let mut end = (end_year?, parse_month(f.end_month, lex)?, parse_day(f.end_day, lex)?);
    // "20 và 21/10", "5-7 May 2021": a missing part of one end is the other's.
    let mut start = start;
    if start.0.is_none() {
        start.0 = end.0;
    }
    if end.0.is_none() {
        end.0 = start.0;
    }
    if start.1.is_none() && start.2.is_some() {
        start.1 = end.1;
    }
    if end.1.is_none() && end.2.is_some() {
        end.1 = start.1;
    }
    Some(Draft::Date(calendar(start)?, Some(calendar(end)?)))
}

type Fields3 = (Option<i16>, Option<i8>, Option<i8>);

fn calendar((year, month, day): Fields3) -> Option<DateExpr> {
    match (year, month, day) {
        (None, None, _) => None,
        (_, None, Some(_)) => None,
        (Some(y), Some(m), Some(d)) => Date::new(y, m, d).ok().map(|_| ()),
        // Without a year, 29 February is possible.
        (None, Some(m), Some(d)) => Date::new(2000, m, d).ok().map(|_| ()),
        _ => Some(()),
    }?;
    Some(DateExpr::Calendar { year, month, day })
}

fn digits(s: &str) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then_some(s)
}

/// A year must be written with four digits: two-digit years are ambiguous.
fn parse_year(s: Option<&str>) -> Option<Option<i16>> {
    match s {
        None => Some(None),
        Some(s) => {
            let d = digits(s).filter(|d| d.len() == 4)?;
            Some(Some(d.parse().ok().filter(|y| (1000..=2999).contains(y))?))
        }
    }
}

/// The end of a span written with two digits ("1991-94") is in the start's
/// century and after it; anything else ("1998-02", "2010-09") reads as a
/// year and month, so it is no span.
fn short_end_year(start: i16, short: &str) -> Option<i16> {
    let end = start - start % 100 + short.parse::<i16>().ok()?;
    (end > start).then_some(end)
}

fn parse_month(s: Option<&str>, lex: &Lexicons) -> Option<Option<i8>> {
    match s {
        None => Some(None),
        Some(s) => {
            let n: i8 = match digits(s) {
                Some(d) if d.len() <= 2 => d.parse().ok()?,
                Some(_) => return None,
                // English and abbreviated names, then Vietnamese month words
                // ("tháng ba"), which are number words elsewhere.
                None => lex.lookup("month", s).or_else(|| lex.lookup("month_vi", s))?.parse().ok()?,
            };
            (1..=12).contains(&n).then_some(Some(n))
        }
    }
}

/// A day of the month, in digits or as an ordinal word ("the seventh of
/// May"), through the `ordinal` lexicon.
fn parse_day(s: Option<&str>, lex: &Lexicons) -> Option<Option<i8>> {
    match s {
        None => Some(None),
        Some(s) => {
            let n: i8 = match digits(s) {
                Some(d) if d.len() <= 2 => d.parse().ok()?,
                Some(_) => return None,
                None => lex.lookup("ordinal", s)?.parse().ok()?,
            };
            (1..=31).contains(&n).then_some(Some(n))
        }
    }
}

/// Parses a canonical relative value: `day-1`, `month-1`, `year+0`.
fn parse_relative(canonical: &str) -> Option<DateExpr> {
    let split = canonical.find(['+', '-'])?;
    let unit = match &canonical[..split] {
        "day" => Unit::Day,
        "week" => Unit::Week,
        "month" => Unit::Month,
        "year" => Unit::Year,
        _ => return None,
    };
    let n: i32 = canonical[split..].trim_start_matches('+').parse().ok()?;
    Some(DateExpr::Relative(unit, n))
}

/// Resolves a date against the article's date; `None` when it cannot be
/// resolved (a weekday in an article of unknown date).
///
/// A day or month without a year takes the latest year that puts it at most
/// two months after the article's date (so "December 30" in a January article
/// is last year's, "March" in an October article this year's);
/// without an article date it stays yearless: `--MM-DD` or `--MM`.
pub(crate) fn resolve_date(expr: &DateExpr, article: Option<PartialDate>) -> Option<String> {
    match *expr {
        DateExpr::Calendar { year: Some(y), month, day } => Some(PartialDate { year: y, month, day }.to_string()),
        DateExpr::Calendar { year: None, month: Some(m), day } => match article {
            Some(a) => {
                let y = nearest_year(a, m, day.unwrap_or(1));
                Some(PartialDate { year: y, month: Some(m), day }.to_string())
            }
            None => Some(match day {
                Some(d) => format!("--{m:02}-{d:02}"),
                None => format!("--{m:02}"),
            }),
        },
        DateExpr::Calendar { year: None, month: None, .. } => None,
        DateExpr::Decade(y) => Some(format!("{:03}", y / 10)),
        DateExpr::Weekday(wd, dir) => {
            let a = article?.to_date()?;
            let back = (a.weekday().to_monday_zero_offset() - wd.to_monday_zero_offset()).rem_euclid(7);
            let date = match dir {
                Direction::Past => a.checked_sub(i64::from(back).days()).ok()?,
                Direction::Future => a.checked_add(i64::from((7 - back) % 7).days()).ok()?,
            };
            Some(date.to_string())
        }
        DateExpr::Relative(unit, n) => {
            let a = article?;
            match unit {
                Unit::Day => Some(a.to_date()?.checked_add(i64::from(n).days()).ok()?.to_string()),
                Unit::Week => {
                    let week = a.to_date()?.checked_add(i64::from(n).weeks()).ok()?.iso_week_date();
                    Some(format!("{:04}-W{:02}", week.year(), week.week()))
                }
                Unit::Month => {
                    let first = Date::new(a.year, a.month?, 1).ok()?.checked_add(i64::from(n).months()).ok()?;
                    Some(format!("{:04}-{:02}", first.year(), first.month()))
                }
                Unit::Year => Some(format!("{:04}", i32::from(a.year) + n)),
            }
        }
        DateExpr::InRelativeYear { offset, month, day } => {
            let year = i16::try_from(i32::from(article?.year) + offset).ok()?;
            Some(PartialDate { year, month: Some(month), day }.to_string())
        }
    }
}

/// How far ahead of the article's date a yearless date may fall: news tells
/// mostly of the past, and of the weeks ahead ("ngày 23/10 tới").
const LOOKAHEAD_DAYS: i64 = 60;

/// The year that puts a yearless date last on or before the article's date
/// plus [`LOOKAHEAD_DAYS`].
fn nearest_year(article: PartialDate, month: i8, day: i8) -> i16 {
    let (Some(am), ad) = (article.month, article.day.unwrap_or(15)) else { return article.year };
    let Ok(anchor) = Date::new(article.year, am, ad) else { return article.year };
    let Ok(limit) = anchor.checked_add(LOOKAHEAD_DAYS.days()) else { return article.year };
    (article.year - 1..=article.year + 1)
        .filter_map(|y| Date::new(y, month, day.min(28)).ok().map(|d| (y, d)))
        .filter(|(_, d)| *d <= limit)
        .max_by_key(|(_, d)| *d)
        .map_or(article.year, |(y, _)| y)
}

/// Parses a count written in digits, words or both: "30.000", "1,000",
/// "a thousand", "gần một nghìn" (after the qualifier is taken off), "two
/// dozen", "hai trăm năm mươi", "2.5 million".
///
/// Digits take `.` or `,` as the thousands separator when the groups after it
/// have three digits; otherwise the separator of the article's language is a
/// decimal point (`.` in English, `,` in Vietnamese). Words come from the
/// `number` lexicon (units, added) and the `multiplier` lexicon (dozen,
/// hundred, nghìn, mươi...). `None` when a word is unknown.
pub(crate) fn parse_count(text: &str, lex: &Lexicons, lang: Language) -> Option<u64> {
    let mut total = 0f64;
    let mut current = 0f64;
    let mut last = 0f64;
    let mut any = false;
    let mut counted = false;
    // "40 000" with a no-break space between thousands is one number.
    let joined = join_digit_groups(text);
    let tokens = split_count(&joined);
    let mut i = 0;
    while i < tokens.len() {
        // Try the longest run of tokens that is a lexicon form ("a dozen", "hàng trăm").
        let mut matched = None;
        for j in (i + 1..=tokens.len().min(i + 3)).rev() {
            let phrase = tokens[i..j].join(" ");
            if let Some(v) = parse_digits(&phrase, lang) {
                matched = Some((j, Token::Number(v)));
                break;
            }
            let value = |lexicon: &str| lex.lookup(lexicon, &phrase).and_then(|v| v.parse::<f64>().ok());
            // A plural magnitude is a number first ("hundreds"), and after a
            // number multiplies it ("30 thousands", "three dozens").
            let token = match (value("number"), value("multiplier"), value("approximate")) {
                (Some(v), _, _) => Some(Token::Number(v)),
                (None, Some(m), _) => Some(Token::Multiplier(m)),
                (None, None, Some(m)) if any => Some(Token::Multiplier(m)),
                (None, None, Some(v)) => Some(Token::Number(v)),
                (None, None, None) => None,
            };
            if let Some(t) = token {
                matched = Some((j, t));
                break;
            }
        }
        if matched.is_none() && lex.lookup("joiner", tokens[i]).is_some() {
            i += 1;
            continue;
        }
        let (next, token) = matched?;
        any = true;
        // Whether the group so far has a number word: "một trăm" is 100, and
        // "không trăm" (zero hundreds, in "hai mươi mốt nghìn không trăm
        // mười một") is 0, where a bare "trăm" or "hundred" is 100.
        let base = |v: f64| if counted { v } else { 1.0 };
        match token {
            Token::Number(v) => {
                current += v;
                last = v;
                counted = true;
            }
            Token::Multiplier(m) if m < 100.0 => {
                current = current - last + base(last) * m;
                last = 0.0;
            }
            Token::Multiplier(m) if m < 1000.0 => {
                current = base(current) * m;
                last = 0.0;
            }
            Token::Multiplier(m) => {
                total += base(current) * m;
                current = 0.0;
                last = 0.0;
                counted = false;
            }
        }
        i = next;
    }
    let value = (total + current).round();
    (any && (1.0..1e15).contains(&value)).then_some(value as u64)
}

enum Token {
    Number(f64),
    Multiplier(f64),
}

/// Joins digit groups split by a space ("30 000", "2\u{A0}300"): a narrow or
/// no-break space between digits always; a plain space only before a group
/// of exactly three digits, so that "30 000" is one count and "12 30" is not.
fn join_digit_groups(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['\u{A0}', '\u{202F}', ' ']) {
        return text.into();
    }
    let chars: Vec<char> = text.chars().collect();
    let digit_at = |i: usize| chars.get(i).is_some_and(char::is_ascii_digit);
    let group_of_three = |i: usize| (i + 1..i + 4).all(digit_at) && !digit_at(i + 4);
    let kept = chars.iter().enumerate().filter(|&(i, c)| {
        let between_digits = i > 0 && digit_at(i - 1) && digit_at(i + 1);
        !(between_digits && (matches!(c, '\u{A0}' | '\u{202F}') || (*c == ' ' && group_of_three(i))))
    });
    kept.map(|(_, c)| *c).collect::<String>().into()
}

fn split_count(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || c == '-').filter(|t| !t.is_empty()).collect()
}

/// Digits with optional thousands separators or a decimal part.
fn parse_digits(s: &str, lang: Language) -> Option<f64> {
    if !s.starts_with(|c: char| c.is_ascii_digit()) || !s.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    {
        return None;
    }
    for sep in [',', '.'] {
        let mut groups = s.split(sep);
        let first = groups.next()?;
        let rest: Vec<&str> = groups.collect();
        if !rest.is_empty()
            && (1..=3).contains(&first.len())
            && first.bytes().all(|b| b.is_ascii_digit())
            && rest.iter().all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
        {
            return s.replace(sep, "").parse().ok();
        }
    }
    let decimal = match lang {
        Language::En => '.',
        Language::Vi => ',',
    };
    if s.matches(decimal).count() <= 1 && !s.contains(if decimal == '.' { ',' } else { '.' }) {
        return s.replace(decimal, ".").parse().ok();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lex() -> Lexicons {
        let mut map: HashMap<String, HashMap<String, String>> = HashMap::new();
        let mut put = |lexicon: &str, pairs: &[(&str, &str)]| {
            let m = map.entry(lexicon.into()).or_default();
            for (k, v) in pairs {
                m.insert((*k).into(), (*v).into());
            }
        };
        put("joiner", &[("and", "0")]);
        put(
            "number",
            &[
                ("a", "1"),
                ("one", "1"),
                ("two", "2"),
                ("fifty", "50"),
                ("một", "1"),
                ("hai", "2"),
                ("ba", "3"),
                ("năm", "5"),
                ("mốt", "1"),
            ],
        );
        put(
            "multiplier",
            &[
                ("dozen", "12"),
                ("hundred", "100"),
                ("thousand", "1000"),
                ("million", "1000000"),
                ("mươi", "10"),
                ("trăm", "100"),
                ("nghìn", "1000"),
                ("hàng trăm", "100"),
            ],
        );
        put("month", &[("september", "9"), ("oct", "10")]);
        put("weekday", &[("friday", "5"), ("thursday", "4")]);
        put("relative", &[("yesterday", "day-1"), ("last month", "month-1")]);
        Lexicons { map }
    }

    #[test]
    fn counts_in_digits_and_words() {
        let l = lex();
        let cases = [
            ("30.000", Language::Vi, 30000),
            ("30.000", Language::En, 30000),
            ("1,000", Language::En, 1000),
            ("400", Language::En, 400),
            ("a thousand", Language::En, 1000),
            ("một nghìn", Language::Vi, 1000),
            ("two dozen", Language::En, 24),
            ("two hundred and fifty", Language::En, 250),
            ("hai trăm năm mươi", Language::Vi, 250),
            ("ba mươi nghìn", Language::Vi, 30000),
            ("2.5 million", Language::En, 2_500_000),
            ("2,5 million", Language::Vi, 2_500_000),
            ("30 000", Language::En, 30000),
            ("hàng trăm", Language::Vi, 100),
        ];
        for (text, lang, want) in cases {
            assert_eq!(parse_count(text, &l, lang), Some(want), "{text}");
        }
        for bad in ["", "many", "1.2.3", "0"] {
            assert_eq!(parse_count(bad, &l, Language::En), None, "{bad}");
        }
    }

    fn fields<'a>(year: Option<&'a str>, month: Option<&'a str>, day: Option<&'a str>) -> DateFields<'a> {
        DateFields { year, month, day, ..Default::default() }
    }

    #[test]
    fn impossible_dates_are_not_dates() {
        let l = lex();
        for (y, m, d) in [
            (Some("2023"), Some("2"), Some("30")),
            (None, Some("13"), Some("1")),
            (None, Some("10"), Some("32")),
            (Some("20"), Some("10"), Some("1")),
        ] {
            assert_eq!(date_draft(&fields(y, m, d), &l, Direction::Past), None, "{y:?} {m:?} {d:?}");
        }
    }

    #[test]
    fn a_two_digit_span_end_is_in_the_start_century_and_after_it() {
        let l = lex();
        let span = |start, end| {
            let f = DateFields { year: Some(start), end_year: Some(end), ..Default::default() };
            date_draft(&f, &l, Direction::Past).map(|d| {
                let Draft::Date(a, Some(b)) = d else { panic!("{d:?}") };
                (resolve_date(&a, None).unwrap(), resolve_date(&b, None).unwrap())
            })
        };
        assert_eq!(span("1991", "94"), Some(("1991".into(), "1994".into())));
        assert_eq!(span("1988", "1994"), Some(("1988".into(), "1994".into())));
        // A year and a month, not a span.
        assert_eq!(span("2010", "09"), None);
        assert_eq!(span("1994", "94"), None);
    }

    #[test]
    fn yearless_dates_take_the_nearest_year_of_the_article() {
        let l = lex();
        let draft = date_draft(&fields(None, Some("September"), Some("27")), &l, Direction::Past).unwrap();
        let Draft::Date(expr, None) = draft else { panic!() };
        assert_eq!(resolve_date(&expr, PartialDate::parse("2020-10-09")).unwrap(), "2020-09-27");
        assert_eq!(resolve_date(&expr, PartialDate::parse("2021-01-05")).unwrap(), "2020-09-27");
        assert_eq!(resolve_date(&expr, None).unwrap(), "--09-27");
    }

    #[test]
    fn weekdays_and_relative_dates_resolve_against_the_article() {
        let a = PartialDate::parse("2020-10-09"); // a Friday
        let friday = DateExpr::Weekday(Weekday::Friday, Direction::Past);
        let thursday = DateExpr::Weekday(Weekday::Thursday, Direction::Past);
        let next_thursday = DateExpr::Weekday(Weekday::Thursday, Direction::Future);
        assert_eq!(resolve_date(&friday, a).unwrap(), "2020-10-09");
        assert_eq!(resolve_date(&thursday, a).unwrap(), "2020-10-08");
        assert_eq!(resolve_date(&next_thursday, a).unwrap(), "2020-10-15");
        assert_eq!(resolve_date(&friday, None), None);
        assert_eq!(
            resolve_date(&DateExpr::Relative(Unit::Month, -1), PartialDate::parse("2023-01")).unwrap(),
            "2022-12"
        );
        assert_eq!(
            resolve_date(&DateExpr::Relative(Unit::Day, -1), PartialDate::parse("2023-03-01")).unwrap(),
            "2023-02-28"
        );
        assert_eq!(resolve_date(&DateExpr::Decade(1990), None).unwrap(), "199");
    }

    #[test]
    fn a_month_of_a_relative_year_takes_the_year_from_the_article() {
        let mut l = lex();
        l.map.get_mut("relative").unwrap().insert("năm ngoái".to_lowercase(), "year-1".into());
        let f = DateFields { month: Some("12"), relative: Some("năm ngoái"), ..Default::default() };
        let Some(Draft::Date(expr, None)) = date_draft(&f, &l, Direction::Past) else { panic!() };
        assert_eq!(resolve_date(&expr, PartialDate::parse("2025-10-11")).unwrap(), "2024-12");
        assert_eq!(resolve_date(&expr, None), None);
    }

    #[test]
    fn ranges_share_missing_parts() {
        let l = lex();
        let f = DateFields { day: Some("20"), end_day: Some("21"), end_month: Some("10"), ..Default::default() };
        let Some(Draft::Date(s, Some(e))) = date_draft(&f, &l, Direction::Past) else { panic!() };
        let a = PartialDate::parse("2020-10-22");
        assert_eq!(
            (resolve_date(&s, a).unwrap(), resolve_date(&e, a).unwrap()),
            ("2020-10-20".into(), "2020-10-21".into())
        );
    }
}
