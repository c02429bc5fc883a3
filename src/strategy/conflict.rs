//! The conflict model: options, decision makers, feasibility and preferences, with the builder
//! that validates them.

use std::fmt;

use super::statement::{self, ParseError, Statement};
use crate::ids::handle;

/// The most options a conflict may have: every state is enumerated, and a dense table maps the
/// 2^options codes to feasible states (4 bytes each, 64 MiB at this limit).
pub const MAX_OPTIONS: usize = 24;

handle!(
    /// An option of a conflict, numbered as declared (`k` contributes 2^k to a state's code).
    OptionId
);
handle!(
    /// A decision maker of a conflict, numbered as declared.
    DmId
);
handle!(
    /// A mover of an [`Analysis`](super::Analysis): a decision maker, or a coalition of them.
    /// In an analysis without coalitions, mover `i` is decision maker `i`.
    MoverId
);
handle!(
    /// A feasible state. States are numbered by ascending code (Σ 2^k over the options taken),
    /// as GMCR+ numbers them; [`StateId::number`] is that 1-based number.
    StateId
);

impl StateId {
    /// The state's 1-based number, as GMCR+ prints it.
    pub fn number(self) -> usize {
        self.index() + 1
    }
}

impl fmt::Display for StateId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.number())
    }
}

/// Which way an option may be changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Direction {
    /// Both ways.
    #[default]
    Both,
    /// Only from not taken to taken: once taken, irreversible (`fwd` in GMCR+ files).
    Forward,
    /// Only from taken to not taken (`back`).
    Backward,
}

impl Direction {
    /// The GMCR+ name: `both`, `fwd` or `back`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Both => "both",
            Direction::Forward => "fwd",
            Direction::Backward => "back",
        }
    }

    /// Reads a GMCR+ name.
    pub fn parse(name: &str) -> Option<Direction> {
        match name {
            "both" => Some(Direction::Both),
            "fwd" => Some(Direction::Forward),
            "back" => Some(Direction::Backward),
            _ => None,
        }
    }
}

/// A state written in a builder: its pattern of `Y`/`N`, one letter per option in declaration
/// order, or its GMCR+ number (1-based, among feasible states by ascending code).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum StateRef {
    /// `"YNNY"`: option k is taken when letter k is `Y`.
    Pattern(String),
    /// A 1-based state number.
    Number(usize),
    /// The state where exactly these options are taken.
    Taken(Vec<String>),
}

impl From<&str> for StateRef {
    fn from(p: &str) -> StateRef {
        StateRef::Pattern(p.to_string())
    }
}

impl From<String> for StateRef {
    fn from(p: String) -> StateRef {
        StateRef::Pattern(p)
    }
}

impl fmt::Display for StateRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StateRef::Pattern(p) => write!(f, "`{p}`"),
            StateRef::Number(n) => write!(f, "state {n}"),
            StateRef::Taken(names) => write!(f, "the state taking [{}]", names.join(", ")),
        }
    }
}

/// A statement written in a builder: text (see [`ConflictBuilder::prioritize`]) or built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatementSpec {
    /// Text such as `"sign & !attack"`.
    Text(String),
    /// A statement already built over this conflict's option ids.
    Built(Statement),
}

impl From<&str> for StatementSpec {
    fn from(t: &str) -> StatementSpec {
        StatementSpec::Text(t.to_string())
    }
}

impl From<String> for StatementSpec {
    fn from(t: String) -> StatementSpec {
        StatementSpec::Text(t)
    }
}

impl From<Statement> for StatementSpec {
    fn from(s: Statement) -> StatementSpec {
        StatementSpec::Built(s)
    }
}

/// How a decision maker's preferences are stated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Preferences {
    /// Option prioritization: statement k of K (0-based, most important first) weighs
    /// 2^(K−1−k); a state scores the weights of the statements it satisfies; higher is
    /// preferred, equal scores tie.
    Prioritized(Vec<Statement>),
    /// A total preorder: tiers of tied states, most preferred tier first.
    Ranking(Vec<Vec<StateId>>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum PreferenceSpec {
    Prioritized(Vec<StatementSpec>),
    Ranking(Vec<Vec<StateRef>>),
}

#[derive(Clone, Debug)]
struct DmSpec {
    name: String,
    options: Vec<String>,
    preferences: Option<PreferenceSpec>,
    misperceptions: Vec<StatementSpec>,
}

/// Declares a conflict. Names are resolved and everything is checked in
/// [`ConflictBuilder::build`].
///
/// # Examples
///
/// The Prisoner's Dilemma, with "cooperate" as each prisoner's option:
///
/// ```
/// use negotiation::strategy::{Concept, ConflictBuilder};
///
/// let mut b = ConflictBuilder::new();
/// b.option("p1 cooperates").option("p2 cooperates");
/// b.decision_maker("P1", ["p1 cooperates"]).decision_maker("P2", ["p2 cooperates"]);
/// // Letters follow the options: "NY" is P1 defecting while P2 cooperates.
/// b.rank("P1", [["NY"], ["YY"], ["NN"], ["YN"]]);
/// b.rank("P2", [["YN"], ["YY"], ["NN"], ["NY"]]);
/// let conflict = b.build()?;
/// let analysis = conflict.analyse();
/// let names = |c| -> Vec<String> {
///     analysis.equilibria(c).into_iter().map(|s| conflict.pattern(s)).collect()
/// };
/// assert_eq!(names(Concept::Nash), ["NN"]);
/// assert_eq!(names(Concept::Gmr), ["NN", "YY"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct ConflictBuilder {
    options: Vec<(String, Direction)>,
    dms: Vec<DmSpec>,
    infeasible: Vec<StatementSpec>,
    status_quo: Option<StateRef>,
    coalitions: Option<Vec<Vec<String>>>,
}

impl ConflictBuilder {
    /// An empty conflict.
    pub fn new() -> Self {
        Self::default()
    }

    /// Declares a reversible option.
    pub fn option(&mut self, name: impl Into<String>) -> &mut Self {
        self.option_with(name, Direction::Both)
    }

    /// Declares an option that may change only in `direction`.
    pub fn option_with(&mut self, name: impl Into<String>, direction: Direction) -> &mut Self {
        self.options.push((name.into(), direction));
        self
    }

    /// Declares a decision maker controlling the named options. Declaring it again adds
    /// options to it.
    pub fn decision_maker<I, S>(&mut self, name: impl Into<String>, options: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let (name, options) = (name.into(), options.into_iter().map(Into::into));
        match self.dms.iter_mut().find(|d| d.name == name) {
            Some(d) => d.options.extend(options),
            None => self.dms.push(DmSpec {
                name,
                options: options.collect(),
                preferences: None,
                misperceptions: Vec::new(),
            }),
        }
        self
    }

    /// States a decision maker's preferences by option prioritization, most important statement
    /// first (see [`Preferences::Prioritized`]). Replaces earlier preferences of the same
    /// decision maker. Text statements read literals `name`, `!name` or `-name` (quote a name
    /// with spaces: `"Release Water"`) joined by `&`, then by `|`, then optionally `A if B` or
    /// `A iff B`: `"sign & !attack"`, `"sign if amend"`.
    pub fn prioritize<I, S>(&mut self, dm: &str, statements: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<StatementSpec>,
    {
        let spec = PreferenceSpec::Prioritized(statements.into_iter().map(Into::into).collect());
        self.set_preferences(dm, spec)
    }

    /// States a decision maker's preferences as a total preorder: tiers of tied states, most
    /// preferred first. Every feasible state must appear exactly once. Replaces earlier
    /// preferences of the same decision maker.
    pub fn rank<T, I, S>(&mut self, dm: &str, tiers: T) -> &mut Self
    where
        T: IntoIterator<Item = I>,
        I: IntoIterator<Item = S>,
        S: Into<StateRef>,
    {
        let tiers = tiers
            .into_iter()
            .map(|t| t.into_iter().map(Into::into).collect())
            .collect();
        self.set_preferences(dm, PreferenceSpec::Ranking(tiers))
    }

    /// Records states a decision maker does not perceive (kept for GMCR+ files; the analysis
    /// assumes every decision maker sees every feasible state).
    pub fn misperceive(&mut self, dm: &str, pattern: impl Into<StatementSpec>) -> &mut Self {
        let pattern = pattern.into();
        match self.dms.iter_mut().rev().find(|d| d.name == dm) {
            Some(d) => d.misperceptions.push(pattern),
            None => self.dms.push(DmSpec {
                name: dm.to_string(),
                options: Vec::new(),
                preferences: None,
                misperceptions: vec![pattern],
            }),
        }
        self
    }

    fn set_preferences(&mut self, dm: &str, spec: PreferenceSpec) -> &mut Self {
        match self.dms.iter_mut().rev().find(|d| d.name == dm) {
            Some(d) => d.preferences = Some(spec),
            // Kept so that `build` reports the unknown decision maker.
            None => self.dms.push(DmSpec {
                name: dm.to_string(),
                options: Vec::new(),
                preferences: Some(spec),
                misperceptions: Vec::new(),
            }),
        }
        self
    }

    /// Declares infeasible every state satisfying the statement ("`a & b`": a and b are never
    /// both taken).
    pub fn infeasible(&mut self, pattern: impl Into<StatementSpec>) -> &mut Self {
        self.infeasible.push(pattern.into());
        self
    }

    /// At most one of the options is taken.
    pub fn mutually_exclusive<I, S>(&mut self, options: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let names: Vec<String> = options.into_iter().map(Into::into).collect();
        for (i, a) in names.iter().enumerate() {
            for b in &names[i + 1..] {
                self.infeasible(format!("{} & {}", quote(a), quote(b)));
            }
        }
        self
    }

    /// At least one of the options is taken.
    pub fn at_least_one_of<I, S>(&mut self, options: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let none = options
            .into_iter()
            .map(|o| format!("!{}", quote(&o.into())))
            .collect::<Vec<_>>()
            .join(" & ");
        self.infeasible(none)
    }

    /// `option` is taken only if `required` is.
    pub fn requires(&mut self, option: &str, required: &str) -> &mut Self {
        self.infeasible(format!("{} & !{}", quote(option), quote(required)))
    }

    /// Declares a partition of the decision makers into coalitions, for
    /// [`Conflict::coalitions`] and GMCR+ files. Every decision maker must be in exactly one.
    pub fn coalitions<I, C, S>(&mut self, groups: I) -> &mut Self
    where
        I: IntoIterator<Item = C>,
        C: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.coalitions = Some(
            groups
                .into_iter()
                .map(|g| g.into_iter().map(Into::into).collect())
                .collect(),
        );
        self
    }

    /// The state from which status-quo analysis starts by default.
    pub fn status_quo(&mut self, state: impl Into<StateRef>) -> &mut Self {
        self.status_quo = Some(state.into());
        self
    }

    /// Validates the declaration and enumerates the feasible states.
    ///
    /// # Errors
    ///
    /// A [`ConflictError`] naming the offending option, decision maker, statement or state.
    ///
    /// # Complexity
    ///
    /// O(2^options × (infeasibility terms + preference statements)) time; O(2^options) memory.
    pub fn build(&self) -> Result<Conflict, ConflictError> {
        use ConflictError as E;
        if self.options.len() > MAX_OPTIONS {
            return Err(E::TooManyOptions {
                count: self.options.len(),
                max: MAX_OPTIONS,
            });
        }
        for (i, (name, _)) in self.options.iter().enumerate() {
            if self.options[..i].iter().any(|(n, _)| n == name) {
                return Err(E::DuplicateOption(name.clone()));
            }
        }
        let lookup = |name: &str| {
            self.options
                .iter()
                .position(|(n, _)| n == name)
                .map(|i| OptionId(i as u32))
        };
        let n_options = self.options.len();
        let statement = |spec: &StatementSpec, at: &dyn Fn() -> String| match spec {
            StatementSpec::Text(text) => statement::parse(text, lookup).map_err(|e| match e {
                ParseError::UnknownOption(option) => E::UnknownOption { at: at(), option },
                ParseError::Syntax(reason) => E::Statement {
                    at: at(),
                    text: text.clone(),
                    reason,
                },
            }),
            StatementSpec::Built(s) => match s.max_option() {
                Some(k) if k as usize >= n_options => Err(E::UnknownOption {
                    at: at(),
                    option: format!("#{k}"),
                }),
                _ => Ok(s.clone()),
            },
        };

        let mut owner: Vec<Option<DmId>> = vec![None; n_options];
        let mut dms = Vec::with_capacity(self.dms.len());
        for (d, spec) in self.dms.iter().enumerate() {
            let id = DmId(d as u32);
            if spec.options.is_empty() {
                return Err(E::NoOptions(spec.name.clone()));
            }
            let mut options = Vec::with_capacity(spec.options.len());
            for (k, name) in spec.options.iter().enumerate() {
                let o = lookup(name).ok_or_else(|| E::UnknownOption {
                    at: format!("decision maker `{}`, options[{k}]", spec.name),
                    option: name.clone(),
                })?;
                if spec.options[..k].contains(name) {
                    return Err(E::OptionListedTwice {
                        dm: spec.name.clone(),
                        option: name.clone(),
                    });
                }
                if let Some(first) = owner[o.index()] {
                    return Err(E::OptionControlledTwice {
                        option: name.clone(),
                        first: self.dms[first.index()].name.clone(),
                        second: spec.name.clone(),
                    });
                }
                owner[o.index()] = Some(id);
                options.push(o);
            }
            let misperceptions = spec
                .misperceptions
                .iter()
                .enumerate()
                .map(|(k, m)| {
                    statement(m, &|| {
                        format!("decision maker `{}`, misperceptions[{k}]", spec.name)
                    })
                })
                .collect::<Result<_, _>>()?;
            dms.push(DecisionMaker {
                name: spec.name.clone(),
                mask: options.iter().fold(0, |m, o| m | 1 << o.0),
                options,
                preferences: Preferences::Prioritized(Vec::new()),
                misperceptions,
            });
        }
        if let Some(k) = owner.iter().position(Option::is_none) {
            return Err(E::OptionUncontrolled(self.options[k].0.clone()));
        }

        let infeasible = self
            .infeasible
            .iter()
            .enumerate()
            .map(|(k, p)| statement(p, &|| format!("infeasible[{k}]")))
            .collect::<Result<Vec<_>, _>>()?;
        let mut index = vec![NONE; 1usize << n_options];
        let mut codes = Vec::new();
        for code in 0..1u64 << n_options {
            if !infeasible.iter().any(|s| s.holds(code)) {
                index[code as usize] = codes.len() as u32;
                codes.push(code);
            }
        }
        if codes.is_empty() {
            return Err(E::NoFeasibleState);
        }
        let (mut fwd, mut back) = (0u64, 0u64);
        for (k, (_, d)) in self.options.iter().enumerate() {
            match d {
                Direction::Forward => fwd |= 1 << k,
                Direction::Backward => back |= 1 << k,
                Direction::Both => {}
            }
        }
        let mut conflict = Conflict {
            options: self
                .options
                .iter()
                .zip(&owner)
                .map(|((name, direction), o)| OptionInfo {
                    name: name.clone(),
                    direction: *direction,
                    owner: o.unwrap_or(DmId(0)),
                })
                .collect(),
            dms,
            infeasible,
            codes,
            index,
            fwd,
            back,
            payoffs: Vec::new(),
            status_quo: None,
            coalitions: None,
        };
        if let Some(groups) = &self.coalitions {
            let ids = conflict.partition(groups)?;
            conflict.coalitions = Some(ids);
        }
        if let Some(sq) = &self.status_quo {
            conflict.status_quo = Some(conflict.resolve(sq).map_err(|why| E::StatusQuo {
                state: sq.to_string(),
                why,
            })?);
        }
        for (d, spec) in self.dms.iter().enumerate() {
            let at = |what: String| format!("decision maker `{}`, {what}", spec.name);
            let prefs = match &spec.preferences {
                None => return Err(E::NoPreferences(spec.name.clone())),
                Some(PreferenceSpec::Prioritized(list)) => Preferences::Prioritized(
                    list.iter()
                        .enumerate()
                        .map(|(k, s)| statement(s, &|| at(format!("preferences[{k}]"))))
                        .collect::<Result<_, _>>()?,
                ),
                Some(PreferenceSpec::Ranking(tiers)) => {
                    let mut seen = vec![false; conflict.codes.len()];
                    let mut out = Vec::with_capacity(tiers.len());
                    for (t, tier) in tiers.iter().enumerate() {
                        let mut ids = Vec::with_capacity(tier.len());
                        for (k, r) in tier.iter().enumerate() {
                            let s = conflict.resolve(r).map_err(|why| E::Ranking {
                                dm: spec.name.clone(),
                                at: format!("ranking[{t}][{k}]"),
                                state: r.to_string(),
                                why,
                            })?;
                            if std::mem::replace(&mut seen[s.index()], true) {
                                return Err(E::Ranking {
                                    dm: spec.name.clone(),
                                    at: format!("ranking[{t}][{k}]"),
                                    state: conflict.describe(s),
                                    why: "ranked twice".into(),
                                });
                            }
                            ids.push(s);
                        }
                        out.push(ids);
                    }
                    if let Some(missing) = seen.iter().position(|s| !s) {
                        return Err(E::Ranking {
                            dm: spec.name.clone(),
                            at: "ranking".into(),
                            state: conflict.describe(StateId(missing as u32)),
                            why: "a feasible state the ranking omits".into(),
                        });
                    }
                    Preferences::Ranking(out)
                }
            };
            conflict.dms[d].preferences = prefs;
        }
        conflict.payoffs = conflict
            .dms
            .iter()
            .map(|dm| payoffs(&dm.preferences, &conflict.codes))
            .collect();
        Ok(conflict)
    }
}

/// Quotes a name for the statement syntax when it would not read as one word.
pub(crate) fn quote(name: &str) -> String {
    if name.is_empty()
        || name == "if"
        || name == "iff"
        || name.starts_with('-')
        || name
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '&' | '|' | '!' | '"'))
    {
        format!("\"{name}\"")
    } else {
        name.to_string()
    }
}

const NONE: u32 = u32::MAX;

/// Dense ranks, higher preferred, equal for ties.
fn payoffs(prefs: &Preferences, codes: &[u64]) -> Vec<u32> {
    match prefs {
        Preferences::Ranking(tiers) => {
            let mut pay = vec![0; codes.len()];
            for (t, tier) in tiers.iter().enumerate() {
                for s in tier {
                    pay[s.index()] = (tiers.len() - 1 - t) as u32;
                }
            }
            pay
        }
        Preferences::Prioritized(statements) => {
            // A state's score as a big-endian bit string: statement 0 is the most significant bit.
            let words = statements.len().div_ceil(64).max(1);
            let mut keys = vec![0u64; codes.len() * words];
            for (k, st) in statements.iter().enumerate() {
                let bit = 1u64 << (63 - k % 64);
                for (s, &code) in codes.iter().enumerate() {
                    if st.holds(code) {
                        keys[s * words + k / 64] |= bit;
                    }
                }
            }
            let key = |s: usize| &keys[s * words..(s + 1) * words];
            let mut order: Vec<usize> = (0..codes.len()).collect();
            order.sort_by(|&a, &b| key(a).cmp(key(b)));
            let mut pay = vec![0; codes.len()];
            let mut rank = 0;
            for w in 0..order.len() {
                if w > 0 && key(order[w]) != key(order[w - 1]) {
                    rank += 1;
                }
                pay[order[w]] = rank;
            }
            pay
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct OptionInfo {
    pub(crate) name: String,
    pub(crate) direction: Direction,
    pub(crate) owner: DmId,
}

/// A decision maker of a built conflict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecisionMaker {
    name: String,
    options: Vec<OptionId>,
    pub(crate) mask: u64,
    preferences: Preferences,
    misperceptions: Vec<Statement>,
}

impl DecisionMaker {
    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The options it controls, as declared.
    pub fn options(&self) -> &[OptionId] {
        &self.options
    }
    /// Its preferences as stated.
    pub fn preferences(&self) -> &Preferences {
        &self.preferences
    }
    /// Patterns of states it does not perceive (recorded, not used by the analysis).
    pub fn misperceptions(&self) -> &[Statement] {
        &self.misperceptions
    }
}

/// A validated conflict: its options, decision makers, feasible states and preferences.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub(crate) options: Vec<OptionInfo>,
    pub(crate) dms: Vec<DecisionMaker>,
    pub(crate) infeasible: Vec<Statement>,
    /// Feasible state codes, ascending.
    pub(crate) codes: Vec<u64>,
    /// Code → state index, or `NONE`.
    index: Vec<u32>,
    /// Options that may only go forward / only backward.
    pub(crate) fwd: u64,
    pub(crate) back: u64,
    /// Per decision maker, per state: a dense rank, higher preferred.
    pub(crate) payoffs: Vec<Vec<u32>>,
    status_quo: Option<StateId>,
    coalitions: Option<Vec<Vec<DmId>>>,
}

impl Conflict {
    /// The coalitions declared with the conflict, if any.
    pub fn coalitions(&self) -> Option<&[Vec<DmId>]> {
        self.coalitions.as_deref()
    }

    /// Resolves and checks a partition of the decision makers given by name.
    pub(crate) fn partition<I, C, S>(&self, groups: I) -> Result<Vec<Vec<DmId>>, ConflictError>
    where
        I: IntoIterator<Item = C>,
        C: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut out: Vec<Vec<DmId>> = Vec::new();
        for g in groups {
            let mut members = Vec::new();
            for name in g {
                let name = name.as_ref();
                let d = self.dm_id(name).ok_or_else(|| {
                    ConflictError::Partition(format!("unknown decision maker `{name}`"))
                })?;
                if out.iter().chain([&members]).any(|m| m.contains(&d)) {
                    return Err(ConflictError::Partition(format!(
                        "decision maker `{name}` is in two coalitions"
                    )));
                }
                members.push(d);
            }
            if members.is_empty() {
                return Err(ConflictError::Partition("an empty coalition".into()));
            }
            members.sort_unstable();
            out.push(members);
        }
        if let Some(d) =
            (0..self.dms.len()).find(|&d| !out.iter().flatten().any(|m| m.index() == d))
        {
            return Err(ConflictError::Partition(format!(
                "decision maker `{}` is in no coalition",
                self.dms[d].name
            )));
        }
        Ok(out)
    }

    /// The number of options.
    pub fn option_count(&self) -> usize {
        self.options.len()
    }
    /// The options' ids, in declaration order.
    pub fn option_ids(&self) -> impl ExactSizeIterator<Item = OptionId> {
        (0..self.options.len() as u32).map(OptionId)
    }
    /// The decision makers' ids, in declaration order.
    pub fn dm_ids(&self) -> impl ExactSizeIterator<Item = DmId> {
        (0..self.dms.len() as u32).map(DmId)
    }
    /// An option's name.
    pub fn option_name(&self, o: OptionId) -> &str {
        self.options.get(o.index()).map_or("", |o| &o.name)
    }
    /// An option by name.
    pub fn option_id(&self, name: &str) -> Option<OptionId> {
        self.options
            .iter()
            .position(|o| o.name == name)
            .map(|i| OptionId(i as u32))
    }
    /// Which way an option may change.
    pub fn direction(&self, o: OptionId) -> Direction {
        self.options
            .get(o.index())
            .map_or_else(Direction::default, |o| o.direction)
    }
    /// The decision maker controlling an option.
    pub fn controller(&self, o: OptionId) -> Option<DmId> {
        self.options.get(o.index()).map(|o| o.owner)
    }
    /// The decision makers, in declaration order ([`DmId`] `i` is entry `i`).
    pub fn decision_makers(&self) -> &[DecisionMaker] {
        &self.dms
    }
    /// A decision maker by name.
    pub fn dm_id(&self, name: &str) -> Option<DmId> {
        self.dms
            .iter()
            .position(|d| d.name == name)
            .map(|i| DmId(i as u32))
    }
    /// A decision maker's name.
    pub fn dm_name(&self, d: DmId) -> &str {
        self.dms.get(d.index()).map_or("", |d| &d.name)
    }
    /// The infeasibility statements as declared.
    pub fn infeasible(&self) -> &[Statement] {
        &self.infeasible
    }
    /// The number of feasible states.
    pub fn state_count(&self) -> usize {
        self.codes.len()
    }
    /// The feasible states, by ascending code.
    pub fn states(&self) -> impl ExactSizeIterator<Item = StateId> {
        (0..self.codes.len() as u32).map(StateId)
    }
    /// A state's code: Σ 2^k over the options taken.
    pub fn code(&self, s: StateId) -> u64 {
        self.codes.get(s.index()).copied().unwrap_or(0)
    }
    /// The feasible state with this code.
    pub fn state_of_code(&self, code: u64) -> Option<StateId> {
        let i = usize::try_from(code).ok()?;
        self.index
            .get(i)
            .filter(|&&s| s != NONE)
            .map(|&s| StateId(s))
    }
    /// Whether option `o` is taken in state `s`.
    pub fn is_taken(&self, s: StateId, o: OptionId) -> bool {
        self.code(s) >> o.0 & 1 == 1
    }
    /// The state's pattern: `Y` or `N` per option, in declaration order.
    pub fn pattern(&self, s: StateId) -> String {
        let code = self.code(s);
        (0..self.options.len())
            .map(|k| if code >> k & 1 == 1 { 'Y' } else { 'N' })
            .collect()
    }
    /// The state as `number (pattern)`, for messages.
    pub fn describe(&self, s: StateId) -> String {
        format!("{} ({})", s.number(), self.pattern(s))
    }
    /// The state with this pattern or number.
    ///
    /// # Errors
    ///
    /// Why the reference names no feasible state.
    pub fn state(&self, r: &StateRef) -> Result<StateId, ConflictError> {
        self.resolve(r).map_err(|why| ConflictError::State {
            state: r.to_string(),
            why,
        })
    }
    fn resolve(&self, r: &StateRef) -> Result<StateId, String> {
        match r {
            StateRef::Number(n) => n
                .checked_sub(1)
                .filter(|&i| i < self.codes.len())
                .map(|i| StateId(i as u32))
                .ok_or_else(|| format!("there are {} feasible states", self.codes.len())),
            StateRef::Taken(names) => {
                let mut code = 0u64;
                for name in names {
                    let o = self
                        .option_id(name)
                        .ok_or_else(|| format!("unknown option `{name}`"))?;
                    code |= 1 << o.0;
                }
                self.state_of_code(code)
                    .ok_or_else(|| "an infeasible state".to_string())
            }
            StateRef::Pattern(p) => {
                if p.chars().count() != self.options.len() {
                    return Err(format!(
                        "a pattern needs one letter per option ({}), `Y` or `N`",
                        self.options.len()
                    ));
                }
                let mut code = 0u64;
                for (k, c) in p.chars().enumerate() {
                    match c {
                        'Y' | 'y' => code |= 1 << k,
                        'N' | 'n' => {}
                        other => return Err(format!("letter {k} is `{other}`, not `Y` or `N`")),
                    }
                }
                self.state_of_code(code)
                    .ok_or_else(|| "an infeasible state".to_string())
            }
        }
    }
    /// The status quo declared with the conflict, if any.
    pub fn status_quo(&self) -> Option<StateId> {
        self.status_quo
    }
    /// A decision maker's preference for a state: a dense rank from 0 (least preferred); equal
    /// ranks tie.
    pub fn payoff(&self, d: DmId, s: StateId) -> u32 {
        self.payoffs
            .get(d.index())
            .and_then(|p| p.get(s.index()))
            .copied()
            .unwrap_or(0)
    }
    /// The options that differ between two states.
    pub fn changes(&self, from: StateId, to: StateId) -> Vec<OptionId> {
        let diff = self.code(from) ^ self.code(to);
        (0..self.options.len() as u32)
            .filter(|k| diff >> k & 1 == 1)
            .map(OptionId)
            .collect()
    }

    pub(crate) fn index_of(&self, code: u64) -> u32 {
        self.index[code as usize]
    }
}

/// Why a conflict could not be built, or a state could not be found.
///
/// Marked `#[non_exhaustive]`: new variants are not breaking changes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConflictError {
    /// More options than [`MAX_OPTIONS`].
    #[error("{count} options: at most {max} are supported")]
    TooManyOptions {
        /// How many were declared.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// Two options share a name.
    #[error("duplicate option `{0}`")]
    DuplicateOption(String),
    /// A decision maker controls no option (or preferences were given for an undeclared one).
    #[error("decision maker `{0}` controls no option")]
    NoOptions(String),
    /// A decision maker has no preferences.
    #[error("decision maker `{0}` has no preferences")]
    NoPreferences(String),
    /// A name that is not an option.
    #[error("{at}: unknown option `{option}`")]
    UnknownOption {
        /// Where the name appears.
        at: String,
        /// The name.
        option: String,
    },
    /// A statement that does not parse.
    #[error("{at}: cannot read `{text}`: {reason}")]
    Statement {
        /// Where the statement appears.
        at: String,
        /// Its text.
        text: String,
        /// What is wrong.
        reason: String,
    },
    /// An option controlled by two decision makers.
    #[error("option `{option}` is controlled by both `{first}` and `{second}`")]
    OptionControlledTwice {
        /// The option.
        option: String,
        /// The first controller.
        first: String,
        /// The second.
        second: String,
    },
    /// A decision maker lists an option twice.
    #[error("decision maker `{dm}` lists option `{option}` twice")]
    OptionListedTwice {
        /// The decision maker.
        dm: String,
        /// The option.
        option: String,
    },
    /// An option no decision maker controls.
    #[error("option `{0}` is controlled by no decision maker")]
    OptionUncontrolled(String),
    /// Every state is infeasible.
    #[error("every state is infeasible")]
    NoFeasibleState,
    /// The status quo names no feasible state.
    #[error("status quo {state}: {why}")]
    StatusQuo {
        /// The state as written.
        state: String,
        /// What is wrong.
        why: String,
    },
    /// A preference ranking names a bad state, repeats one, or omits one.
    #[error("decision maker `{dm}`, {at}: {state}: {why}")]
    Ranking {
        /// The decision maker.
        dm: String,
        /// Where in the ranking.
        at: String,
        /// The state.
        state: String,
        /// What is wrong.
        why: String,
    },
    /// A state reference names no feasible state.
    #[error("{state}: {why}")]
    State {
        /// The state as written.
        state: String,
        /// What is wrong.
        why: String,
    },
    /// A decision maker named in a coalition partition is unknown, repeated or missing.
    #[error("coalitions: {0}")]
    Partition(String),
}
