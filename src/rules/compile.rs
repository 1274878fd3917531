//! From raw YAML to a checked, compiled [`RuleSet`], with located errors.

use rayon::prelude::*;
use regex::Regex;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

use super::error::{LoadError, Location, RuleError};
use super::locate::Source;
use super::raw::{RawExample, RawFile, RawRule};
use super::{
    lexicon_key, Applies, Boundaries, Direction, Entry, Fields, Lexicons, Matcher, NamesByInitial, Pattern, Rule,
    RuleSet, Scanner,
};
use crate::article::{Article, Language, PartialDate, Split};
use crate::engine;
use crate::fact::Kind;

/// Size limits for the compiled automata: generous, since the rule set is
/// compiled once per run and a large gazetteer-derived macro is normal.
const REGEX_SIZE_LIMIT: usize = 64 << 20;

/// Capture names each kind gives meaning to.
fn captures_for(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Date => &["year", "month", "day", "end_year", "end_month", "end_day", "weekday", "relative", "decade"],
        Kind::Envoy => &["name", "role", "represents"],
        Kind::Casualty => &["count", "qualifier", "outcome"],
        Kind::Location => &["name"],
    }
}

/// `set:` fields each kind gives meaning to.
fn set_fields_for(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Date => &["direction"],
        Kind::Envoy => &["role", "represents"],
        Kind::Casualty => &["qualifier", "outcome"],
        Kind::Location => &[],
    }
}

pub(super) fn compile(sources: Vec<(PathBuf, String)>) -> Result<RuleSet, LoadError> {
    let mut errors = Vec::new();
    let mut files = Vec::new();
    for (path, text) in sources {
        let text: String = text.nfc().collect();
        let src = Source::new(&path, text);
        match serde_yaml::from_str::<Option<RawFile>>(src.text()) {
            Ok(raw) => files.push((src, raw.unwrap_or_default())),
            Err(e) => {
                let at = match e.location() {
                    Some(l) => src.line_column(l.line(), l.column()),
                    None => src.at(0),
                };
                errors.push(RuleError::Yaml { at, message: e.to_string() });
            }
        }
    }

    let (macros, lexicons, lexicon_forms) = collect_names(&files, &mut errors);
    let expander = Expander::new(&macros, &lexicon_forms);
    expander.check_macros(&mut errors);

    // Ids are checked in file order; the rules themselves (parsing and
    // compiling their regexes, most of the load time) are compiled in
    // parallel, and their results and errors taken back in file order.
    let mut seen: HashMap<&str, Location> = HashMap::new();
    let mut jobs = Vec::new();
    for (src, raw) in &files {
        for (index, rr) in raw.rules.iter().enumerate() {
            let at = src.rule(index);
            let duplicate = match seen.get(rr.id.as_str()) {
                Some(first) => Some(RuleError::DuplicateId { at, rule: rr.id.clone(), first: first.clone() }),
                None => {
                    seen.insert(&rr.id, at);
                    None
                }
            };
            jobs.push((RuleCtx { src, index, raw: rr, lexicons: &lexicons }, raw, duplicate));
        }
    }
    let compiled: Vec<_> = jobs
        .into_par_iter()
        .map(|(ctx, raw, duplicate)| {
            let mut errors: Vec<RuleError> = duplicate.into_iter().collect();
            let compiled = ctx.compile(raw, &expander, &mut errors).map(|c| (c, ctx.examples()));
            (compiled, errors)
        })
        .collect();
    let mut rules = Vec::new();
    let mut examples = Vec::new();
    for (compiled, rule_errors) in compiled {
        errors.extend(rule_errors);
        if let Some((rule, rule_examples)) = compiled {
            examples.push(rule_examples);
            rules.push(rule);
        }
    }
    if !errors.is_empty() {
        return Err(LoadError { errors });
    }
    // The examples are searched rule by rule, so the scanner is built
    // meanwhile, on the other threads.
    let scanned = take_scanned(&mut rules);
    let mut set = unscanned(rules, lexicons, files.iter().map(|(s, _)| s.path().to_owned()).collect());
    let (scanner, ()) = rayon::join(|| scanner(&set, scanned), || check_examples(&set, &examples, &mut errors));
    for rule in &mut set.rules {
        if let Matcher::Pattern(pattern) = &mut rule.matcher {
            pattern.drop_caches();
        }
    }
    match scanner {
        Ok(scanner) => {
            set.scanner.get_or_init(|| scanner);
        }
        Err(scanner_errors) => errors.extend(scanner_errors),
    }
    if errors.is_empty() {
        Ok(set)
    } else {
        Err(LoadError { errors })
    }
}

type Macros = BTreeMap<String, (String, Location)>;
type LexiconForms = BTreeMap<String, (Vec<String>, Location)>;

/// Gathers the macros and lexicons of every file into one namespace.
fn collect_names(files: &[(Source, RawFile)], errors: &mut Vec<RuleError>) -> (Macros, Lexicons, LexiconForms) {
    let mut macros: Macros = BTreeMap::new();
    let mut lexicons = Lexicons::default();
    let mut forms: LexiconForms = BTreeMap::new();
    for (src, raw) in files {
        for (name, body) in &raw.macros {
            let at = src.section_key("macros", name);
            if let Some((_, first)) = macros.get(name) {
                errors.push(RuleError::DuplicateName { at, name: name.clone(), first: first.clone() });
            } else {
                macros.insert(name.clone(), (body.clone(), at));
            }
        }
        for (name, entries) in &raw.lexicons {
            let at = src.section_key("lexicons", name);
            let map = lexicons.map.entry(name.clone()).or_default();
            let list = &mut forms.entry(name.clone()).or_insert_with(|| (Vec::new(), at.clone())).0;
            for (canonical, surface) in entries {
                for form in surface {
                    match map.get(&lexicon_key(form)) {
                        Some(first) if first != canonical => errors.push(RuleError::AmbiguousForm {
                            at: src.form("lexicons", name, form),
                            lexicon: name.clone(),
                            form: form.clone(),
                            first: first.clone(),
                            second: canonical.clone(),
                        }),
                        Some(_) => {}
                        None => {
                            map.insert(lexicon_key(form), canonical.clone());
                            list.push(form.clone());
                        }
                    }
                }
            }
        }
    }
    for (name, (_, at)) in &macros {
        if let Some((_, first)) = forms.get(name) {
            errors.push(RuleError::DuplicateName { at: at.clone(), name: name.clone(), first: first.clone() });
        }
    }
    (macros, lexicons, forms)
}

/// Expands `{name}` references to macros and lexicons.
struct Expander<'a> {
    macros: &'a Macros,
    lexicons: &'a LexiconForms,
    /// Each lexicon as a pattern (see [`lexicon_alternation`]), written
    /// once: the large ones (counts, roles, countries) are used by dozens
    /// of patterns, and writing them for each use was a twentieth of the
    /// load's work.
    alternations: HashMap<&'a str, String>,
}

impl<'a> Expander<'a> {
    fn new(macros: &'a Macros, lexicons: &'a LexiconForms) -> Expander<'a> {
        let alternations =
            lexicons.par_iter().map(|(name, (forms, _))| (name.as_str(), lexicon_alternation(forms))).collect();
        Expander { macros, lexicons, alternations }
    }
}

enum ExpandError {
    Unknown { name: String, inside: Option<String> },
    Cycle { name: String, path: Vec<String> },
}

fn reference() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\{([A-Za-z_][A-Za-z0-9_]*)\}").expect("valid regex"))
}

/// The `{name}` references of a pattern or macro body, with their places:
/// not an escaped `\{`, not the braces of a `\p{Lu}` Unicode class or of a
/// `\u{A0}`, `\x{202F}` code point.
pub(super) fn references(text: &str) -> impl Iterator<Item = (regex::Match<'_>, &str)> {
    reference().captures_iter(text).filter_map(move |caps| {
        let whole = caps.get(0).expect("group 0");
        let before = &text[..whole.start()];
        let escaped = before.chars().rev().take_while(|&c| c == '\\').count() % 2 == 1;
        let class = ["\\p", "\\P", "\\u", "\\x"].iter().any(|e| before.ends_with(e));
        let name = caps.get(1).expect("group 1").as_str();
        (!escaped && !class).then_some((whole, name))
    })
}

impl Expander<'_> {
    /// Reports unknown references and cycles once, at the macro that has them.
    fn check_macros(&self, errors: &mut Vec<RuleError>) {
        for (name, (body, at)) in self.macros {
            match self.expand_in(body, &mut vec![name.clone()]) {
                Ok(_) => {}
                Err(ExpandError::Unknown { name: unknown, inside: None }) => errors.push(RuleError::UnknownMacro {
                    at: at.clone(),
                    rule: format!("macro {name}"),
                    help: self.suggest(&unknown),
                    name: unknown,
                }),
                Err(ExpandError::Cycle { name: cyclic, path }) if &cyclic == name => {
                    errors.push(RuleError::MacroCycle { at: at.clone(), name: cyclic, path: path.join(" -> ") })
                }
                Err(_) => {} // reported at the macro that has the problem
            }
        }
    }

    fn expand(&self, pattern: &str) -> Result<String, ExpandError> {
        self.expand_in(pattern, &mut Vec::new())
    }

    fn expand_in(&self, text: &str, stack: &mut Vec<String>) -> Result<String, ExpandError> {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for (whole, name) in references(text) {
            out.push_str(&text[last..whole.start()]);
            last = whole.end();
            if let Some((body, _)) = self.macros.get(name) {
                if stack.iter().any(|s| s == name) {
                    let mut path = stack.clone();
                    path.push(name.to_string());
                    return Err(ExpandError::Cycle { name: name.to_string(), path });
                }
                stack.push(name.to_string());
                let inner = self.expand_in(body, stack).map_err(|e| match e {
                    ExpandError::Unknown { name: n, inside: None } => {
                        ExpandError::Unknown { name: n, inside: Some(name.to_string()) }
                    }
                    other => other,
                })?;
                stack.pop();
                out.push_str("(?:");
                out.push_str(&inner);
                out.push(')');
            } else if let Some(alternation) = self.alternations.get(name) {
                out.push_str(alternation);
            } else {
                return Err(ExpandError::Unknown { name: name.to_string(), inside: None });
            }
        }
        out.push_str(&text[last..]);
        Ok(out)
    }

    fn suggest(&self, unknown: &str) -> String {
        let names = self.macros.keys().chain(self.lexicons.keys());
        let best = names
            .map(|n| (strsim::jaro_winkler(unknown, n), n))
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        match best {
            Some((_, name)) => format!("did you mean `{{{name}}}`?"),
            None => {
                let known: Vec<_> =
                    self.macros.keys().chain(self.lexicons.keys()).map(|n| format!("{{{n}}}")).collect();
                if known.is_empty() {
                    "define it under `macros:` or `lexicons:`".to_string()
                } else {
                    format!("known: {}; or define it under `macros:` or `lexicons:`", known.join(", "))
                }
            }
        }
    }
}

/// A lexicon used as a macro: any of its forms, the longest that matches,
/// ignoring case, with any run of white space where a form has a space.
///
/// The forms are written as a trie ("Jan(?:uary|\.)"), not as a flat
/// alternation: the automata of a flat one repeat every shared prefix, and
/// the lexicons of countries, roles and numbers run to hundreds of forms
/// used in many patterns, which made compiling them most of the load time.
/// Branches of a trie node start with different characters, so trying the
/// longer ones before stopping at the node finds the longest form, as a
/// flat alternation sorted longest first does.
fn lexicon_alternation(forms: &[String]) -> String {
    #[derive(Default)]
    struct Node {
        /// Child by token key, with the token as the regex writes it.
        children: BTreeMap<String, (String, Node)>,
        terminal: bool,
    }
    fn tokens(form: &str) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for c in form.trim().chars() {
            if c.is_whitespace() {
                if out.last().is_none_or(|(key, _)| key != " ") {
                    out.push((" ".into(), r"\s+".into()));
                }
                continue;
            }
            // One key for the cases of a letter: the pattern ignores case.
            let mut lower = c.to_lowercase();
            let key = match (lower.next(), lower.next()) {
                (Some(l), None) => l.to_string(),
                _ => c.to_string(),
            };
            out.push((key, regex::escape(&c.to_string())));
        }
        out
    }
    fn write(node: &Node, out: &mut String) {
        let branches = node.children.len() + usize::from(node.terminal && !node.children.is_empty());
        if branches > 1 {
            out.push_str("(?:");
        }
        for (i, (token, child)) in node.children.values().enumerate() {
            if i > 0 {
                out.push('|');
            }
            out.push_str(token);
            write(child, out);
        }
        if branches > 1 {
            // Stopping here is the last choice: a longer form wins.
            if node.terminal {
                out.push('|');
            }
            out.push(')');
        }
    }
    let mut root = Node::default();
    for form in forms {
        let mut node = &mut root;
        for (key, token) in tokens(form) {
            node = &mut node.children.entry(key).or_insert_with(|| (token, Node::default())).1;
        }
        node.terminal = true;
    }
    let mut out = String::from("(?i:");
    write(&root, &mut out);
    out.push(')');
    out
}

/// One raw rule being compiled, with what is needed to locate its errors.
struct RuleCtx<'a> {
    src: &'a Source,
    index: usize,
    raw: &'a RawRule,
    lexicons: &'a Lexicons,
}

/// An example or counterexample, with where it is written.
pub(super) struct Example {
    at: Location,
    text: String,
    expect: Option<Expect>,
}

struct Expect {
    value: String,
    role: Option<String>,
    represents: Option<String>,
    qualifier: Option<String>,
    outcome: Option<String>,
    published: Option<PartialDate>,
    language: Option<Language>,
}

impl RuleCtx<'_> {
    fn at(&self, key: &str) -> Location {
        self.src.field(self.index, key)
    }

    fn id(&self) -> String {
        self.raw.id.clone()
    }

    fn compile(&self, file: &RawFile, expander: &Expander, errors: &mut Vec<RuleError>) -> Option<Rule> {
        let rr = self.raw;
        let n_errors = errors.len();
        let kind = rr.kind.or(file.kind);
        let Some(kind) = kind else {
            errors.push(RuleError::MissingKind { at: self.src.rule(self.index), rule: self.id() });
            return None;
        };
        let matcher = match (&rr.pattern, &rr.gazetteer) {
            (Some(p), None) => Matcher::Pattern(self.pattern(p, kind, expander, errors)?),
            (None, Some(entries)) => Matcher::Gazetteer(self.gazetteer(entries, kind, errors)),
            (Some(_), Some(_)) => {
                let message = "has both `pattern` and `gazetteer`".into();
                errors.push(RuleError::Matcher { at: self.at("gazetteer"), rule: self.id(), message });
                return None;
            }
            (None, None) => {
                let message = "has neither `pattern` nor `gazetteer`".into();
                errors.push(RuleError::Matcher { at: self.src.rule(self.index), rule: self.id(), message });
                return None;
            }
        };
        let set = self.fields(kind, errors);
        if rr.article_date && !(kind == Kind::Date && matches!(matcher, Matcher::Pattern(_))) {
            errors.push(RuleError::Option {
                at: self.at("article_date"),
                rule: self.id(),
                message: "`article_date` applies only to date rules with a pattern".into(),
                help: "remove `article_date: true`".into(),
            });
        }
        if rr.capitals && !matches!(matcher, Matcher::Gazetteer(_)) {
            errors.push(RuleError::Option {
                at: self.at("capitals"),
                rule: self.id(),
                message: "`capitals` applies only to gazetteers".into(),
                help: "remove `capitals: true`, or write the capitals into the pattern".into(),
            });
        }
        if kind == Kind::Casualty && !rr.suppress {
            if let Matcher::Pattern(re) = &matcher {
                let names: Vec<_> = re.capture_names().flatten().collect();
                if !names.contains(&"count") {
                    errors.push(RuleError::Option {
                        at: self.at("pattern"),
                        rule: self.id(),
                        message: "a casualty pattern needs a `(?P<count>...)` capture".into(),
                        help: "capture the number, in digits or words, as `count`".into(),
                    });
                }
                if !names.contains(&"outcome") && set.outcome.is_none() {
                    errors.push(RuleError::Option {
                        at: self.at("pattern"),
                        rule: self.id(),
                        message: "a casualty rule needs an outcome".into(),
                        help: "capture `(?P<outcome>...)` or add `set: {outcome: killed}`".into(),
                    });
                }
            }
        }
        if errors.len() > n_errors {
            return None;
        }
        let rule = Rule {
            id: self.id(),
            kind,
            language: rr.language.or(file.language),
            priority: rr.priority,
            boundaries: rr.boundaries,
            glue: rr.glue.clone(),
            suppress: rr.suppress,
            article_date: rr.article_date,
            set,
            matcher,
            description: rr.description.clone(),
            at: self.src.rule(self.index),
        };
        Some(rule)
    }

    fn pattern(&self, pattern: &str, kind: Kind, expander: &Expander, errors: &mut Vec<RuleError>) -> Option<Pattern> {
        let at = self.at("pattern");
        let expanded = match expander.expand(pattern) {
            Ok(e) => e,
            Err(ExpandError::Unknown { name, inside: None }) => {
                let help = expander.suggest(&name);
                errors.push(RuleError::UnknownMacro { at, rule: self.id(), name, help });
                return None;
            }
            Err(_) => return None, // reported at the macro
        };
        let hir = match regex_syntax::ParserBuilder::new().build().parse(&expanded) {
            Ok(hir) => hir,
            Err(e) => {
                errors.push(RuleError::Regex { at, rule: self.id(), message: e.to_string() });
                return None;
            }
        };
        let props = hir.properties();
        if props.look_set().contains_word() {
            errors.push(RuleError::WordBoundary { at, rule: self.id() });
            return None;
        }
        if props.minimum_len() == Some(0) {
            errors.push(RuleError::EmptyMatch { at, rule: self.id() });
            return None;
        }
        let re = match Pattern::new(expanded, hir, REGEX_SIZE_LIMIT) {
            Ok(re) => re,
            Err(e) => {
                errors.push(RuleError::Regex { at, rule: self.id(), message: e.to_string() });
                return None;
            }
        };
        let allowed = captures_for(kind);
        // Two facts in one match: `first` and `second` span them, and `X2`
        // is the second's `X` (see the engine's `Caps`).
        let known = |name: &str| {
            allowed.contains(&name)
                || name == "first"
                || name == "second"
                || name.strip_suffix('2').is_some_and(|n| allowed.contains(&n))
        };
        for name in re.capture_names().flatten() {
            if !known(name) && !self.raw.suppress {
                errors.push(RuleError::UnknownCapture {
                    at: at.clone(),
                    rule: self.id(),
                    name: name.to_string(),
                    kind: kind.to_string(),
                    allowed: allowed.join(", "),
                });
            }
        }
        Some(re)
    }

    fn gazetteer(&self, entries: &[super::raw::RawEntry], kind: Kind, errors: &mut Vec<RuleError>) -> Vec<Entry> {
        let mut out = Vec::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            if kind != Kind::Envoy && (e.role.is_some() || e.represents.is_some()) {
                errors.push(RuleError::Option {
                    at: self.src.item(self.index, "gazetteer", i),
                    rule: self.id(),
                    message: format!("entry `{}` has `role` or `represents`, which only envoys have", e.name),
                    help: "remove them, or move the entry to an envoy gazetteer".into(),
                });
            }
            let mut aliases: Vec<String> =
                std::iter::once(&e.name).chain(&e.aliases).map(|a| a.trim().to_string()).collect();
            if let Some(blank) = aliases.iter().position(|a| a.is_empty()) {
                errors.push(RuleError::Option {
                    at: self.src.item(self.index, "gazetteer", i),
                    rule: self.id(),
                    message: format!("entry `{}` has an empty alias (#{blank})", e.name),
                    help: "remove the empty alias".into(),
                });
            }
            aliases.retain(|a| !a.is_empty());
            // A sentence or a headline may begin with an alias written in lower
            // case ("Hành lang Lachin: chín tháng phong tỏa").
            let sentence_case: Vec<String> = aliases.iter().filter_map(|a| capitalise_first(a)).collect();
            aliases.extend(sentence_case);
            if self.raw.capitals {
                let capitals: Vec<String> = aliases
                    .iter()
                    .filter(|a| a.chars().count() >= 4 && a.chars().any(char::is_lowercase))
                    .map(|a| a.to_uppercase())
                    .collect();
                aliases.extend(capitals);
            }
            aliases.sort();
            aliases.dedup();
            out.push(Entry {
                name: e.name.trim().to_string(),
                aliases,
                role: e.role.clone(),
                represents: e.represents.clone(),
            });
        }
        out
    }

    fn fields(&self, kind: Kind, errors: &mut Vec<RuleError>) -> Fields {
        let mut fields = Fields::default();
        let allowed = set_fields_for(kind);
        for (field, value) in &self.raw.set {
            let at = self.at(field);
            let err = |message: String, help: String| RuleError::Set {
                at: at.clone(),
                rule: self.id(),
                field: field.clone(),
                message,
                help,
            };
            if !allowed.contains(&field.as_str()) {
                let help = if allowed.is_empty() {
                    format!("a {kind} rule takes no `set:` field")
                } else {
                    format!("a {kind} rule may set: {}", allowed.join(", "))
                };
                errors.push(err(format!("means nothing for a {kind} rule"), help));
                continue;
            }
            // Attribute values must be canonical values of the lexicon of the
            // same name, where there is one: a typo would split facts.
            if matches!(field.as_str(), "qualifier" | "outcome" | "role")
                && self.lexicons.has_canonical(field, value) == Some(false)
            {
                errors.push(err(
                    format!("`{value}` is not a canonical value of lexicon `{field}`"),
                    format!("use one of the canonical values listed under `lexicons: {field}:`"),
                ));
                continue;
            }
            let value = Some(value.clone());
            match field.as_str() {
                "role" => fields.role = value,
                "represents" => fields.represents = value,
                "qualifier" => fields.qualifier = value,
                "outcome" => fields.outcome = value,
                "direction" => match value.as_deref() {
                    Some("past") => fields.direction = Direction::Past,
                    Some("future") => fields.direction = Direction::Future,
                    _ => errors.push(err(
                        "must be `past` or `future`".into(),
                        "write `direction: past` or `direction: future`".into(),
                    )),
                },
                _ => unreachable!("checked against set_fields_for"),
            }
        }
        fields
    }

    fn examples(&self) -> Vec<Example> {
        let rr = self.raw;
        let mut out = Vec::new();
        for (i, ex) in rr.examples.iter().enumerate() {
            out.push(Example {
                at: self.src.item(self.index, "examples", i),
                text: ex.text.clone(),
                expect: Some(expect(ex)),
            });
        }
        for (i, text) in rr.counterexamples.iter().enumerate() {
            out.push(Example { at: self.src.item(self.index, "counterexamples", i), text: text.clone(), expect: None });
        }
        out
    }
}

fn expect(ex: &RawExample) -> Expect {
    Expect {
        value: ex.value.trim().to_string(),
        role: ex.role.clone(),
        represents: ex.represents.clone(),
        qualifier: ex.qualifier.clone(),
        outcome: ex.outcome.clone(),
        published: ex.published.as_deref().and_then(PartialDate::parse),
        language: ex.language,
    }
}

/// Builds the one-pass matchers over all rules.
pub(super) fn assemble(
    mut rules: Vec<Rule>,
    lexicons: Lexicons,
    files: Vec<PathBuf>,
) -> Result<RuleSet, Vec<RuleError>> {
    let scanned = take_scanned(&mut rules);
    let set = unscanned(rules, lexicons, files);
    let scanner = scanner(&set, scanned)?;
    set.scanner.get_or_init(|| scanner);
    Ok(set)
}

/// A rule set without its scanner yet: it searches rule by rule.
fn unscanned(rules: Vec<Rule>, lexicons: Lexicons, files: Vec<PathBuf>) -> RuleSet {
    let pattern_rules =
        rules.iter().enumerate().filter(|(_, r)| matches!(r.matcher, Matcher::Pattern(_))).map(|(i, _)| i).collect();
    let mut alias_texts = Vec::new();
    let mut alias_targets = Vec::new();
    let mut names = HashMap::new();
    for (ri, rule) in rules.iter().enumerate() {
        if let Matcher::Gazetteer(entries) = &rule.matcher {
            for (ei, entry) in entries.iter().enumerate() {
                for alias in &entry.aliases {
                    alias_texts.push(alias.clone());
                    alias_targets.push((ri, ei));
                    if !rule.suppress {
                        names.entry((rule.kind, lexicon_key(alias))).or_insert((ri, ei));
                    }
                }
            }
        }
    }
    let mut names_by_initial = NamesByInitial::new();
    for ((kind, name), &target) in &names {
        if let Some(initial) = name.chars().next() {
            names_by_initial.entry((*kind, initial)).or_default().push((name.chars().count(), name.clone(), target));
        }
    }
    RuleSet {
        rules,
        lexicons,
        scanner: std::sync::OnceLock::new(),
        alias_automaton: std::sync::OnceLock::new(),
        pattern_rules,
        alias_texts,
        alias_targets,
        names,
        names_by_initial,
        files,
    }
}

/// What the scanner searches for in place of each pattern rule's pattern,
/// in set order, each taken from its rule (see [`Pattern::take_scanned`]).
fn take_scanned(rules: &mut [Rule]) -> Vec<Result<super::nfa::Nfa, (usize, String)>> {
    let patterns = rules.iter_mut().enumerate().filter_map(|(ri, rule)| match &mut rule.matcher {
        Matcher::Pattern(pattern) => Some(pattern.take_scanned().map_err(|message| (ri, message))),
        Matcher::Gazetteer(_) => None,
    });
    patterns.collect()
}

/// The scanner of a set's patterns (`scanned`, from [`take_scanned`]) and
/// aliases.
fn scanner(set: &RuleSet, scanned: Vec<Result<super::nfa::Nfa, (usize, String)>>) -> Result<Scanner, Vec<RuleError>> {
    // An error of the combined automata has no one rule to blame: it is
    // given the first pattern rule's place.
    let error = |ri: Option<usize>, message| {
        let place = ri.or(set.pattern_rules.first().copied()).map(|ri| &set.rules[ri]);
        RuleError::Regex {
            at: place.map(|r| r.at.clone()).unwrap_or(Location { path: PathBuf::new(), line: 1, column: 1 }),
            rule: ri.map_or_else(|| "(the combined rule set)".into(), |ri| set.rules[ri].id.clone()),
            message,
        }
    };
    let patterns: Vec<super::nfa::Nfa> =
        scanned.into_iter().collect::<Result<_, _>>().map_err(|(ri, message)| vec![error(Some(ri), message)])?;
    let applies: Vec<Applies> = set
        .pattern_rules
        .iter()
        .map(|&ri| Applies {
            language: set.rules[ri].language,
            word_start: matches!(set.rules[ri].boundaries, Boundaries::Both | Boundaries::Start),
        })
        .collect();
    // The automaton that searching rule by rule uses too: built once.
    let gazetteer = set.alias_automaton().cloned().ok_or_else(|| {
        let aliases = set.alias_texts.len();
        vec![error(None, format!("the automaton of the gazetteers' {aliases} aliases is too large to build"))]
    })?;
    Scanner::new(patterns, &applies, gazetteer).map_err(|message| vec![error(None, message)])
}

/// Runs every rule's examples and counterexamples through the whole set.
///
/// Rules are checked in parallel (a rule set's examples are a large part of
/// its load time); the errors keep the order of the rules and examples.
fn check_examples(set: &RuleSet, examples: &[Vec<Example>], errors: &mut Vec<RuleError>) {
    let per_rule: Vec<Vec<RuleError>> = set
        .rules
        .par_iter()
        .enumerate()
        .map(|(ri, rule)| {
            let mut errors = Vec::new();
            check_rule_examples(set, ri, rule, &examples[ri], &mut errors);
            errors
        })
        .collect();
    errors.extend(per_rule.into_iter().flatten());
}

/// Runs one rule's examples and counterexamples through the whole set.
fn check_rule_examples(set: &RuleSet, ri: usize, rule: &Rule, examples: &[Example], errors: &mut Vec<RuleError>) {
    for ex in examples {
        // The language is detected only when neither the example nor the
        // rule gives it: detection is slow next to the example itself.
        let language = ex.expect.as_ref().and_then(|e| e.language).or(rule.language);
        let article = Article {
            id: "example".into(),
            language: language.unwrap_or_else(|| Language::detect(&ex.text)),
            text: ex.text.clone(),
            published: ex.expect.as_ref().and_then(|e| e.published),
            split: Split::Dev,
        };
        let run = engine::run_rule_by_rule(set, &article, &mut engine::Quiet);
        let produced: Vec<String> = run.outcomes_of(set, ri);
        match &ex.expect {
            Some(expect) => {
                let ok = run.facts_of(set, ri).iter().any(|key| {
                    key.value.to_string() == expect.value
                        && opt_eq(&expect.role, &key.role)
                        && opt_eq(&expect.represents, &key.represents)
                        && opt_eq(&expect.qualifier, &key.qualifier)
                        && opt_eq(&expect.outcome, &key.outcome)
                }) || (rule.suppress && produced.iter().any(|p| p == &format!("claims {:?}", expect.value)));
                if !ok {
                    errors.push(RuleError::Example {
                        at: ex.at.clone(),
                        rule: rule.id.clone(),
                        text: ex.text.clone(),
                        expected: describe_expect(expect),
                        got: describe_got(&produced, &run.all_outcomes(set)),
                    });
                }
            }
            None => {
                if !produced.is_empty() {
                    errors.push(RuleError::Counterexample {
                        at: ex.at.clone(),
                        rule: rule.id.clone(),
                        text: ex.text.clone(),
                        got: produced.join("; "),
                    });
                }
            }
        }
    }
}

fn opt_eq(expected: &Option<String>, got: &Option<String>) -> bool {
    expected.is_none() || expected == got
}

fn describe_expect(e: &Expect) -> String {
    let mut s = format!("`{}`", e.value);
    for (name, v) in
        [("role", &e.role), ("represents", &e.represents), ("qualifier", &e.qualifier), ("outcome", &e.outcome)]
    {
        if let Some(v) = v {
            s.push_str(&format!(" {name}={v}"));
        }
    }
    s
}

fn describe_got(own: &[String], all: &[String]) -> String {
    match (own.is_empty(), all.is_empty()) {
        (false, _) => own.join("; "),
        (true, true) => "nothing".into(),
        (true, false) => format!("nothing from this rule (the set gave: {})", all.join("; ")),
    }
}

/// `alias` with its first letter capitalised, when it begins in lower case.
fn capitalise_first(alias: &str) -> Option<String> {
    let mut chars = alias.chars();
    let first = chars.next().filter(|c| c.is_lowercase())?;
    Some(first.to_uppercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_alternation_shares_prefixes_and_escapes() {
        let forms = vec!["Jan.".to_string(), "January".to_string(), "at least".to_string(), "jan".to_string()];
        assert_eq!(lexicon_alternation(&forms), r"(?i:(?:at\s+least|Jan(?:\.|uary|)))");
    }

    #[test]
    fn lexicon_alternation_matches_the_longest_form() {
        let forms: Vec<String> = ["Nov", "November", "Novembre", "more than", "more"].map(String::from).to_vec();
        let re = regex::Regex::new(&format!("^{}", lexicon_alternation(&forms))).unwrap();
        for (text, want) in
            [("Novembre 5", "Novembre"), ("NOVEMBER", "NOVEMBER"), ("Nov. 5", "Nov"), ("more  than 5", "more  than")]
        {
            assert_eq!(re.find(text).map(|m| m.as_str()), Some(want), "{text}");
        }
    }

    #[test]
    fn lower_case_aliases_also_match_at_the_start_of_a_sentence() {
        assert_eq!(capitalise_first("hành lang Lachin").as_deref(), Some("Hành lang Lachin"));
        assert_eq!(capitalise_first("Lachin"), None);
        assert_eq!(capitalise_first("1994"), None);
    }
}
