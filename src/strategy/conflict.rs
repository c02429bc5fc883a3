//! The conflict model: options, decision makers, feasibility and preferences, with the builder
//! that validates them.

use std::fmt;

use super::statement::{self, ParseError, Statement};

/// The most options a conflict may have: every state is enumerated, and a dense table maps the
/// 2^options codes to feasible states (4 bytes each, 64 MiB at this limit).
pub const MAX_OPTIONS: usize = 24;

/// Which conflict issued a handle: drawn from a global counter when a conflict is built (or
/// an analysis made), copied by clones. 0 marks a handle bound to no conflict: one read from
/// JSON or from a [`Statement`]'s literals, checked by range only.
#[derive(Clone, Copy, Default)]
pub(crate) struct Stamp(pub(crate) u32);

impl Stamp {
    /// A stamp no live conflict or negotiation is likely to hold: drawn from the counter that
    /// stamps negotiations ([`Owner`](crate::ids::Owner)), so it is never 0.
    pub(crate) fn fresh() -> Stamp {
        Stamp(crate::ids::Owner::fresh().get())
    }

    /// Whether a result made under this stamp belongs with `conflict`: the conflict that made
    /// it or a clone, or no conflict known (0: a result read from JSON, taken on trust).
    pub(crate) fn admits(self, conflict: &Conflict) -> bool {
        self.0 == 0 || self.0 == conflict.stamp.0
    }
}

/// The one line a strategy result shows in place of itself when given a conflict other than
/// the one it was made for, whose names and numbers would describe something else.
pub(crate) fn foreign_note(what: &str) -> String {
    format!("(this {what} belongs to another conflict: show it with the conflict that made it)")
}

/// Conflicts compare by content: equal conflicts built twice are equal.
impl PartialEq for Stamp {
    fn eq(&self, _: &Stamp) -> bool {
        true
    }
}

impl Eq for Stamp {}

/// Not printed: Debug output stays the same from run to run.
impl fmt::Debug for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("_")
    }
}

macro_rules! stamped {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// A handle is meaningful only for the conflict that issued it (and its clones): every
        /// function taking one checks it and answers `None` (or an error) for a handle of
        /// another conflict, even one of the same size. Handles compare, hash and order by
        /// their index alone. In JSON answers (feature `serde`) a handle is its index, a plain
        /// number; one read back is bound to no conflict and checked by range only.
        #[derive(Clone, Copy)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(from = "u32", into = "u32"))]
        pub struct $name {
            pub(crate) index: u32,
            pub(crate) stamp: u32,
        }

        impl $name {
            /// The handle as a dense index (`0..count`), for side tables kept by callers.
            pub fn index(self) -> usize {
                self.index as usize
            }

            #[allow(dead_code)] // not every handle is made from an index
            pub(crate) fn from_index(index: usize) -> Self {
                $name(index as u32)
            }

            /// The handle of `index` issued under `stamp`.
            #[allow(dead_code)]
            pub(crate) fn bound(index: u32, stamp: Stamp) -> Self {
                $name {
                    index,
                    stamp: stamp.0,
                }
            }

            /// Its index, when it is usable where `stamp` issues handles and `count` exist.
            #[allow(dead_code)]
            pub(crate) fn fits(self, stamp: Stamp, count: usize) -> Option<usize> {
                (!self.foreign_to(stamp) && (self.index as usize) < count)
                    .then_some(self.index as usize)
            }

            /// Whether another conflict than the one `stamp` marks issued it.
            #[allow(dead_code)]
            pub(crate) fn foreign_to(self, stamp: Stamp) -> bool {
                self.stamp != 0 && self.stamp != stamp.0
            }
        }

        /// An unbound handle (checked by range only), for the crate's own tables.
        #[allow(non_snake_case, dead_code)]
        pub(crate) const fn $name(index: u32) -> $name {
            $name { index, stamp: 0 }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &$name) -> bool {
                self.index == other.index
            }
        }

        impl Eq for $name {}

        impl std::hash::Hash for $name {
            fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
                self.index.hash(h);
            }
        }

        impl PartialOrd for $name {
            fn partial_cmp(&self, other: &$name) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl Ord for $name {
            fn cmp(&self, other: &$name) -> std::cmp::Ordering {
                self.index.cmp(&other.index)
            }
        }

        /// `Name(index)`, without the stamp.
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.index)
            }
        }

        impl From<u32> for $name {
            fn from(index: u32) -> $name {
                $name(index)
            }
        }

        impl From<$name> for u32 {
            fn from(h: $name) -> u32 {
                h.index
            }
        }
    };
}

stamped!(
    /// An option of a conflict, numbered as declared (`k` contributes 2^k to a state's code).
    OptionId
);
stamped!(
    /// A decision maker of a conflict, numbered as declared.
    DmId
);
stamped!(
    /// A mover of an [`Analysis`](super::Analysis): a decision maker, or a coalition of them.
    /// In an analysis without coalitions, mover `i` is decision maker `i`.
    MoverId
);
stamped!(
    /// A feasible state. States are numbered by ascending code (Σ 2^k over the options taken),
    /// as GMCR+ numbers them; [`StateId::number`] is that 1-based number.
    StateId
);

impl StateId {
    /// The state's 1-based number, as GMCR+ prints it.
    #[must_use]
    pub fn number(self) -> usize {
        self.index() + 1
    }
}

impl StateId {
    /// The state as reports show it, `number (pattern)`: `3 (YN)`. `conflict` gives the
    /// pattern; a state of another conflict shows as `3 (?)`.
    #[must_use]
    pub fn display(self, conflict: &Conflict) -> impl fmt::Display + '_ {
        from_fn(move |f| match conflict.pattern(self) {
            Some(p) => write!(f, "{} ({p})", self.number()),
            None => write!(f, "{} (?)", self.number()),
        })
    }
}

/// The state's 1-based number, as GMCR+ and the reports print it.
impl fmt::Display for StateId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.number())
    }
}

/// A [`fmt::Display`] calling `f`.
pub(crate) fn from_fn<F>(f: F) -> impl fmt::Display
where
    F: Fn(&mut fmt::Formatter<'_>) -> fmt::Result,
{
    struct FromFn<F>(F);
    impl<F> fmt::Display for FromFn<F>
    where
        F: Fn(&mut fmt::Formatter<'_>) -> fmt::Result,
    {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            (self.0)(f)
        }
    }
    FromFn(f)
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
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Both => "both",
            Direction::Forward => "fwd",
            Direction::Backward => "back",
        }
    }
}

/// Reads a GMCR+ name: `both`, `fwd` or `back`.
impl std::str::FromStr for Direction {
    type Err = ParseDirectionError;
    fn from_str(name: &str) -> Result<Direction, ParseDirectionError> {
        match name {
            "both" => Ok(Direction::Both),
            "fwd" => Ok(Direction::Forward),
            "back" => Ok(Direction::Backward),
            _ => Err(ParseDirectionError(name.to_string())),
        }
    }
}

/// The GMCR+ name: `both`, `fwd` or `back`.
impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A direction's name that is not `both`, `fwd` or `back` ([`Direction`]'s `FromStr`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{0}`: expected \"both\", \"fwd\" or \"back\"")]
pub struct ParseDirectionError(pub String);

/// A state written in a builder: its pattern of `Y`/`N`, one letter per option in declaration
/// order, or its GMCR+ number (1-based, among feasible states by ascending code).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
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
#[non_exhaustive]
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
    /// Declared by `decision_maker`, not only named by a preference or misperception.
    declared: bool,
    options: Vec<String>,
    /// Options given by id (the GMCR+ importer), after those named.
    ids: Vec<OptionId>,
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
/// b = b.option("p1 cooperates").option("p2 cooperates");
/// b = b.decision_maker("P1", ["p1 cooperates"]).decision_maker("P2", ["p2 cooperates"]);
/// // Letters follow the options: "NY" is P1 defecting while P2 cooperates.
/// b = b.rank("P1", [["NY"], ["YY"], ["NN"], ["YN"]]);
/// b = b.rank("P2", [["YN"], ["YY"], ["NN"], ["NY"]]);
/// let conflict = b.build()?;
/// let analysis = conflict.analyse();
/// let names = |c| -> Vec<String> {
///     analysis.equilibria(c).into_iter().filter_map(|s| conflict.pattern(s)).collect()
/// };
/// assert_eq!(names(Concept::Nash), ["NN"]);
/// assert_eq!(names(Concept::Gmr), ["NN", "YY"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
#[must_use = "a builder does nothing until built; its methods return the updated builder"]
pub struct ConflictBuilder {
    options: Vec<(String, Direction)>,
    dms: Vec<DmSpec>,
    infeasible: Vec<StatementSpec>,
    status_quo: Option<StateRef>,
    coalitions: Option<Vec<Vec<String>>>,
    allow_idle: bool,
    max_table_bytes: Option<u64>,
    /// Per decision maker: pairs of states of unknown order ([`ConflictBuilder::uncertain`]).
    uncertain: Vec<(String, StateRef, StateRef)>,
    /// Per decision maker: a state and the tiers its rank may take
    /// ([`ConflictBuilder::rank_interval`]).
    intervals: Vec<(String, StateRef, usize, usize)>,
    /// (viewer, decision maker, preferences the viewer believes it has)
    /// ([`ConflictBuilder::perceive_rank`], [`ConflictBuilder::perceive_prioritized`]).
    beliefs: Vec<(String, String, PreferenceSpec)>,
}

impl ConflictBuilder {
    /// An empty conflict.
    pub fn new() -> Self {
        Self::default()
    }

    /// Declares a reversible option. Its label need not be unique (see
    /// [`build`](Self::build) for naming options that share one).
    pub fn option(self, name: impl Into<String>) -> Self {
        self.option_with(name, Direction::Both)
    }

    /// Declares an option that may change only in `direction`.
    pub fn option_with(mut self, name: impl Into<String>, direction: Direction) -> Self {
        self.options.push((name.into(), direction));
        self
    }

    /// Declares a decision maker controlling the named options. Declaring it again adds
    /// options to it.
    pub fn decision_maker<I, S>(mut self, name: impl Into<String>, options: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let d = self.spec(&name.into());
        d.declared = true;
        d.options.extend(options.into_iter().map(Into::into));
        self
    }

    /// The declaration of decision maker `name`, added undeclared if new: a decision maker
    /// given preferences or misperceptions but never declared is kept so that `build` reports
    /// it.
    fn spec(&mut self, name: &str) -> &mut DmSpec {
        let at = match self.dms.iter().position(|d| d.name == name) {
            Some(at) => at,
            None => {
                self.dms.push(DmSpec {
                    name: name.to_string(),
                    declared: false,
                    options: Vec::new(),
                    ids: Vec::new(),
                    preferences: None,
                    misperceptions: Vec::new(),
                });
                self.dms.len() - 1
            }
        };
        &mut self.dms[at]
    }

    /// Declares a decision maker controlling options given by id (declaration index), which
    /// labels cannot confuse.
    #[cfg(feature = "serde")] // used by the GMCR+ importer only
    pub(crate) fn decision_maker_ids(mut self, name: &str, ids: Vec<OptionId>) -> Self {
        let d = self.spec(name);
        d.declared = true;
        d.ids.extend(ids);
        self
    }

    /// States a decision maker's preferences by option prioritization, most important statement
    /// first (see [`Preferences::Prioritized`]). Replaces earlier preferences of the same
    /// decision maker. Text statements read literals `name`, `!name` or `-name` (quote a name
    /// with spaces: `"Release Water"`) joined by `&`, then by `|`, then optionally `A if B` or
    /// `A iff B`: `"sign & !attack"`, `"sign if amend"`.
    pub fn prioritize<I, S>(self, dm: &str, statements: I) -> Self
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
    pub fn rank<T, I, S>(self, dm: &str, tiers: T) -> Self
    where
        T: IntoIterator<Item = I>,
        I: IntoIterator<Item = S>,
        S: Into<StateRef>,
    {
        let tiers = tiers_of(tiers);
        self.set_preferences(dm, PreferenceSpec::Ranking(tiers))
    }

    /// Records states a decision maker does not perceive (kept for GMCR+ files; the analysis
    /// assumes every decision maker sees every feasible state, and [`Conflict::hypergame`]
    /// analyses the conflict as each decision maker perceives it).
    pub fn misperceive(mut self, dm: &str, pattern: impl Into<StatementSpec>) -> Self {
        self.spec(dm).misperceptions.push(pattern.into());
        self
    }

    fn set_preferences(mut self, dm: &str, spec: PreferenceSpec) -> Self {
        self.spec(dm).preferences = Some(spec);
        self
    }

    /// Declares infeasible every state satisfying the statement ("`a & b`": a and b are never
    /// both taken).
    pub fn infeasible(mut self, pattern: impl Into<StatementSpec>) -> Self {
        self.infeasible.push(pattern.into());
        self
    }

    /// At most one of the options is taken.
    pub fn mutually_exclusive<I, S>(mut self, options: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let names: Vec<String> = options.into_iter().map(Into::into).collect();
        for (i, a) in names.iter().enumerate() {
            for b in &names[i + 1..] {
                self.infeasible
                    .push(format!("{} & {}", quote(a), quote(b)).into());
            }
        }
        self
    }

    /// At least one of the options is taken.
    pub fn at_least_one_of<I, S>(self, options: I) -> Self
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
    pub fn requires(self, option: &str, required: &str) -> Self {
        self.infeasible(format!("{} & !{}", quote(option), quote(required)))
    }

    /// Declares a partition of the decision makers into coalitions, for
    /// [`Conflict::coalitions`] and GMCR+ files. Every decision maker must be in exactly one.
    pub fn coalitions<I, C, S>(mut self, groups: I) -> Self
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
    pub fn status_quo(mut self, state: impl Into<StateRef>) -> Self {
        self.status_quo = Some(state.into());
        self
    }

    /// Accepts decision makers that control no option and options that no decision maker
    /// controls, as GMCR+ does: such a decision maker never moves (every state is stable for
    /// it) but its preferences count in coalitions; such an option keeps its value. Without it,
    /// [`build`](Self::build) refuses both, to catch slips.
    pub fn allow_idle(mut self) -> Self {
        self.allow_idle = true;
        self
    }

    /// Refuses to build a conflict whose tables would take more than `bytes`
    /// ([`Conflict::table_bytes`]), with [`ConflictError::TooLarge`]. No limit by default.
    pub fn max_table_bytes(mut self, bytes: u64) -> Self {
        self.max_table_bytes = Some(bytes);
        self
    }

    /// Validates the declaration and enumerates the feasible states.
    ///
    /// Options are named by their labels. A label several options share is ambiguous: name
    /// such an option by `#k` (the k-th option declared, from 0) or, in statements, rankings'
    /// [`StateRef::Taken`] and the status quo, by `Decision maker.label` when that tells it
    /// apart. A decision maker's option list takes labels and `#k` only.
    ///
    /// # Errors
    ///
    /// A [`ConflictError`] naming the offending option, decision maker, statement or state.
    ///
    /// # Complexity
    ///
    /// With S feasible states, D decision makers and o options: O(2^o × infeasibility terms)
    /// time to enumerate the states, and for each prioritized decision maker O(S × Σ terms of
    /// its statements) at worst (states already told apart by earlier statements are not tested
    /// again, so it is often far less), plus a sort per ranked one. Memory: the tables of
    /// [`Conflict::table_bytes`], 4 × 2^o + (20 + 4D) × S bytes at peak; no table grows with the
    /// number of statements.
    pub fn build(self) -> Result<Conflict, ConflictError> {
        use ConflictError as E;
        if self.options.len() > MAX_OPTIONS {
            return Err(E::TooManyOptions {
                count: self.options.len(),
                max: MAX_OPTIONS,
            });
        }
        let n_options = self.options.len();
        if let Some(d) = self.dms.iter().find(|d| !d.declared) {
            return Err(E::NoOptions(d.name.clone()));
        }
        // Decision makers' option lists: labels or `#k`, no qualification.
        let plain = |name: &str| {
            resolve_option(name, n_options, &|k| self.options[k].0.as_str(), &|_| None)
        };
        let mut owner: Vec<Option<DmId>> = vec![None; n_options];
        let mut dm_options = Vec::with_capacity(self.dms.len());
        for (d, spec) in self.dms.iter().enumerate() {
            let id = DmId(d as u32);
            if spec.options.is_empty() && spec.ids.is_empty() && !self.allow_idle {
                return Err(E::NoOptions(spec.name.clone()));
            }
            let mut options: Vec<OptionId> = Vec::with_capacity(spec.options.len());
            let named = spec.options.iter().map(Some);
            let by_id = spec.ids.iter().map(|_| None);
            for (k, name) in named.chain(by_id).enumerate() {
                let at = || format!("decision maker `{}`, options[{k}]", spec.name);
                let Some(name) = name else {
                    let o = spec.ids[k - spec.options.len()];
                    if o.index() >= n_options {
                        return Err(E::UnknownOption {
                            at: at(),
                            option: format!("#{}", o.index()),
                        });
                    }
                    // Checked below like a named option.
                    let name = format!("#{}", o.index());
                    if options.contains(&o) {
                        return Err(E::OptionListedTwice {
                            dm: spec.name.clone(),
                            option: name,
                        });
                    }
                    if let Some(first) = owner[o.index()] {
                        return Err(E::OptionControlledTwice {
                            option: name,
                            first: self.dms[first.index()].name.clone(),
                            second: spec.name.clone(),
                        });
                    }
                    owner[o.index()] = Some(id);
                    options.push(o);
                    continue;
                };
                let o = match plain(name) {
                    Ok(o) => OptionId(o as u32),
                    Err(many) if many.is_empty() => {
                        return Err(E::UnknownOption {
                            at: at(),
                            option: name.clone(),
                        })
                    }
                    Err(many) => {
                        return Err(E::AmbiguousOption {
                            at: at(),
                            option: name.clone(),
                            candidates: many.iter().map(|k| format!("#{k}")).collect(),
                        })
                    }
                };
                if options.contains(&o) {
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
            dm_options.push(options);
        }
        if !self.allow_idle {
            if let Some(k) = owner.iter().position(Option::is_none) {
                return Err(E::OptionUncontrolled(self.options[k].0.clone()));
            }
        }
        let label = |k: usize| self.options[k].0.as_str();
        let owner_name = |k: usize| owner[k].map(|d| self.dms[d.index()].name.as_str());
        let lookup = |name: &str| -> Result<OptionId, ParseError> {
            resolve_option(name, n_options, &label, &owner_name)
                .map(|k| OptionId(k as u32))
                .map_err(|many| {
                    if many.is_empty() {
                        ParseError::UnknownOption(name.to_string())
                    } else {
                        let names = many
                            .iter()
                            .map(|&k| qualified(k, n_options, &label, &owner_name))
                            .collect();
                        ParseError::Ambiguous(name.to_string(), names)
                    }
                })
        };
        let statement = |spec: &StatementSpec, at: &dyn Fn() -> String| match spec {
            StatementSpec::Text(text) => statement::parse(text, lookup).map_err(|e| match e {
                ParseError::UnknownOption(option) => E::UnknownOption { at: at(), option },
                ParseError::Ambiguous(option, candidates) => E::AmbiguousOption {
                    at: at(),
                    option,
                    candidates,
                },
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

        let mut dms = Vec::with_capacity(self.dms.len());
        for (spec, options) in self.dms.iter().zip(dm_options) {
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
                mask: options.iter().fold(0, |m, o| m | 1 << o.index),
                options,
                preferences: Preferences::Prioritized(Vec::new()),
                misperceptions,
                kept: Vec::new(),
                uncertain: Vec::new(),
                beliefs: Vec::new(),
            });
        }

        let infeasible = self
            .infeasible
            .iter()
            .enumerate()
            .map(|(k, p)| statement(p, &|| format!("infeasible[{k}]")))
            .collect::<Result<Vec<_>, _>>()?;
        let feasible = |code: u64| !infeasible.iter().any(|s| s.holds(code));
        if let Some(limit) = self.max_table_bytes {
            // Counted first, so that nothing is allocated for a conflict that is refused.
            let states = (0..1u64 << n_options).filter(|&c| feasible(c)).count();
            let needed = Conflict::table_bytes(n_options, states, self.dms.len());
            if needed > limit {
                return Err(E::TooLarge {
                    needed,
                    limit,
                    states,
                });
            }
        }
        let mut index = vec![NONE; 1usize << n_options];
        let mut codes = Vec::new();
        for code in 0..1u64 << n_options {
            if feasible(code) {
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
                    owner: *o,
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
            stamp: Stamp::fresh(),
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
                Some(PreferenceSpec::Ranking(tiers)) => match conflict.ranking(tiers) {
                    Ok(ranking) => Preferences::Ranking(ranking),
                    Err((None, state, why)) => {
                        return Err(E::Ranking {
                            dm: spec.name.clone(),
                            at: "ranking".into(),
                            state,
                            why,
                        })
                    }
                    Err((Some((t, k)), state, why)) => {
                        return Err(E::Ranking {
                            dm: spec.name.clone(),
                            at: format!("ranking[{t}][{k}]"),
                            state,
                            why,
                        })
                    }
                },
            };
            conflict.dms[d].preferences = prefs;
        }
        conflict.payoffs = conflict
            .dms
            .iter()
            .map(|dm| payoffs(&dm.preferences, &conflict.codes))
            .collect();
        conflict.resolve_uncertainty(&self.uncertain, &self.intervals)?;
        for (k, (viewer, of, spec)) in self.beliefs.iter().enumerate() {
            let bad = |why: String| E::Belief {
                viewer: viewer.clone(),
                at: format!("beliefs[{k}]"),
                why,
            };
            let v = conflict
                .dm_id(viewer)
                .ok_or_else(|| bad("unknown decision maker".into()))?;
            let o = conflict
                .dm_id(of)
                .ok_or_else(|| bad(format!("unknown decision maker `{of}`")))?;
            if v == o {
                return Err(bad(format!(
                    "`{of}` is the viewer: its own preferences are stated, not believed"
                )));
            }
            let prefs = match spec {
                PreferenceSpec::Prioritized(list) => Preferences::Prioritized(
                    list.iter()
                        .enumerate()
                        .map(|(j, st)| {
                            statement(st, &|| {
                                format!(
                                    "decision maker `{viewer}`, beliefs about `{of}`, \
                                     preferences[{j}]"
                                )
                            })
                        })
                        .collect::<Result<_, _>>()?,
                ),
                PreferenceSpec::Ranking(tiers) => match conflict.ranking(tiers) {
                    Ok(ranking) => Preferences::Ranking(ranking),
                    Err((at, state, why)) => {
                        let at = at.map_or("ranking".into(), |(t, j)| format!("ranking[{t}][{j}]"));
                        return Err(bad(format!("beliefs about `{of}`, {at}: {state}: {why}")));
                    }
                },
            };
            let list = &mut conflict.dms[v.index()].beliefs;
            list.retain(|(d, _)| *d != o);
            list.push((o, prefs));
            list.sort_by_key(|(d, _)| *d);
        }
        Ok(conflict)
    }

    /// Declares that decision maker `dm` may prefer either of states `a` and `b`, or be
    /// indifferent between them: the order its stated preferences give the pair is not known.
    /// Every other pair keeps the order the stated preferences give it, and
    /// [`Conflict::analyse_uncertain`] considers every total preorder consistent with those
    /// (see [`UncertainAnalysis`](super::UncertainAnalysis)); [`Conflict::analyse`] keeps using
    /// the stated preferences. Declaring a pair twice is the same as once. Not written to
    /// `.gmcr` files (GMCR+ has no field for it).
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::strategy::ConflictBuilder;
    ///
    /// let mut b = ConflictBuilder::new();
    /// b = b.option("a").option("b");
    /// b = b.decision_maker("A", ["a"]).decision_maker("B", ["b"]);
    /// b = b.rank("A", [["YN"], ["YY"], ["NN"], ["NY"]]);
    /// b = b.rank("B", [["NY"], ["YY"], ["NN"], ["YN"]]);
    /// b = b.uncertain("A", "YY", "NN");
    /// let conflict = b.build()?;
    /// let a = conflict.dm_id("A").unwrap();
    /// assert_eq!(conflict.decision_makers()[a.index()].uncertain_pairs().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn uncertain(mut self, dm: &str, a: impl Into<StateRef>, b: impl Into<StateRef>) -> Self {
        self.uncertain.push((dm.to_string(), a.into(), b.into()));
        self
    }

    /// Declares that decision maker `dm`'s rank for `state` is known only to lie in `tiers`,
    /// counted in its stated preferences from 1 (the most preferred tier; a state's tier is
    /// 1 + the number of distinct payoffs above its own, see [`Conflict::payoff`]). The state's
    /// order relative to every other state whose stated tier lies in `tiers` becomes unknown,
    /// as by [`uncertain`](Self::uncertain); states in tiers above stay preferred to it, states
    /// in tiers below stay less preferred. The state's stated tier must lie in `tiers`. Not
    /// written to `.gmcr` files.
    ///
    /// # Complexity
    ///
    /// O(S) when the conflict is built, for S feasible states; it adds one unknown pair per
    /// state in the tiers, up to S − 1.
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::strategy::ConflictBuilder;
    ///
    /// let mut b = ConflictBuilder::new();
    /// b = b.option("a").option("b");
    /// b = b.decision_maker("A", ["a"]).decision_maker("B", ["b"]);
    /// b = b.rank("A", [["YN"], ["YY"], ["NN"], ["NY"]]);
    /// b = b.rank("B", [["NY"], ["YY"], ["NN"], ["YN"]]);
    /// // A's second state might rank anywhere from second to fourth.
    /// b = b.rank_interval("A", "YY", 2..=4);
    /// let conflict = b.build()?;
    /// let a = conflict.dm_id("A").unwrap();
    /// assert_eq!(conflict.decision_makers()[a.index()].uncertain_pairs().len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn rank_interval(
        mut self,
        dm: &str,
        state: impl Into<StateRef>,
        tiers: std::ops::RangeInclusive<usize>,
    ) -> Self {
        self.intervals
            .push((dm.to_string(), state.into(), *tiers.start(), *tiers.end()));
        self
    }

    /// Records that decision maker `dm` is unaware of `option`: it does not perceive the
    /// states in which the option is taken (a [`misperceive`](Self::misperceive) of the
    /// option's name), so in its view ([`Conflict::hypergame`]) the option stays not taken.
    pub fn unaware(self, dm: &str, option: &str) -> Self {
        self.misperceive(dm, quote(option))
    }

    /// Records that `viewer` believes decision maker `of` ranks the states so (tiers of tied
    /// states, most preferred first, every feasible state once, as [`rank`](Self::rank)): a
    /// misperceived preference. [`Conflict::hypergame`] gives `of` these preferences in
    /// `viewer`'s view; [`Conflict::analyse`] ignores them. Replaces an earlier belief of
    /// `viewer` about `of`. Not written to `.gmcr` files (GMCR+ has no field for it).
    pub fn perceive_rank<T, I, S>(mut self, viewer: &str, of: &str, tiers: T) -> Self
    where
        T: IntoIterator<Item = I>,
        I: IntoIterator<Item = S>,
        S: Into<StateRef>,
    {
        let tiers = tiers_of(tiers);
        self.beliefs.push((
            viewer.to_string(),
            of.to_string(),
            PreferenceSpec::Ranking(tiers),
        ));
        self
    }

    /// As [`perceive_rank`](Self::perceive_rank), with the believed preferences given by
    /// prioritized statements (as [`prioritize`](Self::prioritize)).
    pub fn perceive_prioritized<I, S>(mut self, viewer: &str, of: &str, statements: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<StatementSpec>,
    {
        let spec = PreferenceSpec::Prioritized(statements.into_iter().map(Into::into).collect());
        self.beliefs
            .push((viewer.to_string(), of.to_string(), spec));
        self
    }
}

/// Tiers of states as given to [`ConflictBuilder::rank`], collected.
fn tiers_of<T, I, S>(tiers: T) -> Vec<Vec<StateRef>>
where
    T: IntoIterator<Item = I>,
    I: IntoIterator<Item = S>,
    S: Into<StateRef>,
{
    tiers
        .into_iter()
        .map(|t| t.into_iter().map(Into::into).collect())
        .collect()
}

/// Resolves an option name among `n` options with these labels and controllers' names: the
/// label when one option has it; else `Decision maker.label` when it names one option; else
/// `#k`. `Err` holds the options an ambiguous name could mean, or nothing for an unknown one.
pub(crate) fn resolve_option<'a>(
    name: &str,
    n: usize,
    label: &dyn Fn(usize) -> &'a str,
    owner: &dyn Fn(usize) -> Option<&'a str>,
) -> Result<usize, Vec<usize>> {
    let pick = |found: Vec<usize>| match found.as_slice() {
        [one] => Some(Ok(*one)),
        [] => None,
        _ => Some(Err(found)),
    };
    if let Some(r) = pick((0..n).filter(|&k| label(k) == name).collect()) {
        return r;
    }
    let qualified = (0..n).filter(|&k| {
        owner(k).is_some_and(|d| {
            name.strip_prefix(d)
                .and_then(|rest| rest.strip_prefix('.'))
                .is_some_and(|rest| rest == label(k))
        })
    });
    if let Some(r) = pick(qualified.collect()) {
        return r;
    }
    match name.strip_prefix('#').and_then(|k| k.parse::<usize>().ok()) {
        Some(k) if k < n && !name[1..].starts_with('+') => Ok(k),
        _ => Err(Vec::new()),
    }
}

/// The shortest name [`resolve_option`] takes back to option `k`: its label, else
/// `Decision maker.label`, else `#k`.
pub(crate) fn qualified<'a>(
    k: usize,
    n: usize,
    label: &dyn Fn(usize) -> &'a str,
    owner: &dyn Fn(usize) -> Option<&'a str>,
) -> String {
    let bare = label(k);
    if resolve_option(bare, n, label, owner) == Ok(k) {
        return bare.to_string();
    }
    if let Some(d) = owner(k) {
        let name = format!("{d}.{bare}");
        if resolve_option(&name, n, label, owner) == Ok(k) {
            return name;
        }
    }
    format!("#{k}")
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
            // Scores compare lexicographically, statement 0 first. Partition refinement: the
            // states, least preferred first, in classes of equal score so far; each statement
            // splits every class of two or more states into those failing it, then those
            // satisfying it. Only classes of two or more states are visited (a worklist), and
            // a statement equal to an earlier one is skipped: it splits nothing. No table per
            // statement: at most 9 bytes per state (the order, the class starts, the
            // worklists) and the payoffs.
            let n = codes.len();
            let mut order: Vec<u32> = (0..n as u32).collect();
            // Where a class starts in `order`: 1 byte per state.
            let mut starts = vec![false; n + 1];
            starts[0] = true;
            starts[n] = true;
            // The starts of the classes of two or more states: at most n / 2 each.
            let mut work: Vec<u32> = if n > 1 { vec![0] } else { Vec::new() };
            let mut next: Vec<u32> = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for st in statements {
                if work.is_empty() {
                    break; // every state told apart
                }
                if !seen.insert(st) {
                    continue;
                }
                next.clear();
                for &a in &work {
                    let a = a as usize;
                    let b = (a + 1..=n).find(|&r| starts[r]).unwrap_or(n);
                    // In place: those failing the statement first. Order within a class
                    // does not matter (its states tie so far).
                    let (mut lo, mut hi) = (a, b);
                    while lo < hi {
                        if st.holds(codes[order[lo] as usize]) {
                            hi -= 1;
                            order.swap(lo, hi);
                        } else {
                            lo += 1;
                        }
                    }
                    if lo > a && lo < b {
                        starts[lo] = true;
                    }
                    for (x, y) in [(a, lo), (lo, b)] {
                        if y - x >= 2 {
                            next.push(x as u32);
                        }
                    }
                }
                std::mem::swap(&mut work, &mut next);
            }
            drop((work, next));
            let mut pay = vec![0; n];
            let mut class = 0u32;
            for (r, &s) in order.iter().enumerate() {
                if r > 0 && starts[r] {
                    class += 1;
                }
                pay[s as usize] = class;
            }
            pay
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct OptionInfo {
    pub(crate) name: String,
    pub(crate) direction: Direction,
    pub(crate) owner: Option<DmId>,
}

/// A decision maker of a built conflict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecisionMaker {
    name: String,
    options: Vec<OptionId>,
    pub(crate) mask: u64,
    preferences: Preferences,
    misperceptions: Vec<Statement>,
    /// Statements kept beside a ranking (GMCR+ files keep both; the ranking is used).
    pub(crate) kept: Vec<Statement>,
    /// Pairs of states whose order is unknown, each (lower id, higher id), ascending.
    pub(crate) uncertain: Vec<(StateId, StateId)>,
    /// What it believes others' preferences are, by decision maker, ascending.
    pub(crate) beliefs: Vec<(DmId, Preferences)>,
}

impl DecisionMaker {
    /// Its name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The options it controls, as declared.
    #[must_use]
    pub fn options(&self) -> &[OptionId] {
        &self.options
    }
    /// Its preferences as stated.
    #[must_use]
    pub fn preferences(&self) -> &Preferences {
        &self.preferences
    }
    /// Patterns of states it does not perceive (not used by [`Conflict::analyse`];
    /// [`Conflict::hypergame`] analyses them).
    pub fn misperceptions(&self) -> &[Statement] {
        &self.misperceptions
    }
    /// Prioritized statements recorded beside a [`Preferences::Ranking`]: a GMCR+ file with
    /// manual rankings keeps each decision maker's statements too, and they are written back.
    /// Not used by the analysis; empty for prioritized preferences.
    pub fn kept_statements(&self) -> &[Statement] {
        &self.kept
    }
    /// The pairs of states whose order for this decision maker is unknown
    /// ([`ConflictBuilder::uncertain`], [`ConflictBuilder::rank_interval`]), each as (lower
    /// id, higher id), ascending. Empty when its preferences are fully known.
    #[must_use]
    pub fn uncertain_pairs(&self) -> &[(StateId, StateId)] {
        &self.uncertain
    }
    /// What it believes other decision makers' preferences are
    /// ([`ConflictBuilder::perceive_rank`], [`ConflictBuilder::perceive_prioritized`]), by
    /// decision maker, ascending. Used by [`Conflict::hypergame`] only.
    #[must_use]
    pub fn beliefs(&self) -> &[(DmId, Preferences)] {
        &self.beliefs
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
    /// Which conflict this is, for its handles.
    pub(crate) stamp: Stamp,
}

impl Conflict {
    /// The coalitions declared with the conflict, if any.
    #[must_use]
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
    #[must_use]
    pub fn option_count(&self) -> usize {
        self.options.len()
    }
    /// The options' ids, in declaration order.
    #[must_use]
    pub fn option_ids(&self) -> impl ExactSizeIterator<Item = OptionId> {
        let stamp = self.stamp;
        (0..self.options.len() as u32).map(move |k| OptionId::bound(k, stamp))
    }
    /// The decision makers' ids, in declaration order.
    #[must_use]
    pub fn dm_ids(&self) -> impl ExactSizeIterator<Item = DmId> {
        let stamp = self.stamp;
        (0..self.dms.len() as u32).map(move |d| DmId::bound(d, stamp))
    }
    /// An option's label, as declared; several options may share one.
    #[must_use]
    pub(crate) fn option_name_raw(&self, o: OptionId) -> &str {
        self.options.get(o.index()).map_or("", |o| &o.name)
    }
    /// The name that tells the option apart: its label when no other option has it, else
    /// `Decision maker.label` (`"IJC.Full"`) when that is unique, else `#k` (its index).
    /// [`option_id`](Self::option_id) takes it back to the option; texts print it.
    #[must_use]
    pub(crate) fn qualified_name_raw(&self, o: OptionId) -> String {
        if o.index() >= self.options.len() {
            return format!("#{}", o.index());
        }
        qualified(
            o.index(),
            self.options.len(),
            &|k| &self.options[k].name,
            &|k| self.owner_name(k),
        )
    }
    /// An option by name: its label when no other option has it, `Decision maker.label`, or
    /// `#k` (see [`qualified_name`](Self::qualified_name)). `None` for an unknown or
    /// ambiguous name.
    #[must_use]
    pub fn option_id(&self, name: &str) -> Option<OptionId> {
        let o = self.find_option(name).ok()?;
        Some(OptionId::bound(o.index, self.stamp))
    }
    fn owner_name(&self, k: usize) -> Option<&str> {
        let d = self.options.get(k)?.owner?;
        self.dms.get(d.index()).map(|d| d.name.as_str())
    }
    /// An option by name, or why not (an unknown name, or the names an ambiguous one could mean).
    fn find_option(&self, name: &str) -> Result<OptionId, String> {
        let n = self.options.len();
        let label = |k: usize| self.options[k].name.as_str();
        let owner = |k: usize| self.owner_name(k);
        resolve_option(name, n, &label, &owner)
            .map(|k| OptionId(k as u32))
            .map_err(|many| {
                if many.is_empty() {
                    return ParseError::UnknownOption(name.to_string()).to_string();
                }
                let names = many
                    .iter()
                    .map(|&k| qualified(k, n, &label, &owner))
                    .collect();
                ParseError::Ambiguous(name.to_string(), names).to_string()
            })
    }
    /// The bytes a conflict's tables take at peak while it is built: 4 per code (2^options, the
    /// code → state table), and per feasible state 8 (its code), 4 per decision maker (its
    /// payoff) and 12 while preferences are computed. A `.gmcr` import or a
    /// [`ConflictBuilder::max_table_bytes`] limit compares this with the limit.
    #[must_use]
    pub fn table_bytes(options: usize, states: usize, decision_makers: usize) -> u64 {
        let codes = 1u64.checked_shl(options as u32).unwrap_or(u64::MAX);
        let per_state = 20u64.saturating_add(4u64.saturating_mul(decision_makers as u64));
        codes
            .saturating_mul(4)
            .saturating_add(per_state.saturating_mul(states as u64))
    }
    /// Which way an option may change.
    #[must_use]
    pub(crate) fn direction_raw(&self, o: OptionId) -> Direction {
        self.options
            .get(o.index())
            .map_or_else(Direction::default, |o| o.direction)
    }
    /// The decision maker controlling an option.
    #[must_use]
    pub fn controller(&self, o: OptionId) -> Option<DmId> {
        let owner = self.options.get(self.opt(o)?)?.owner?;
        Some(DmId::bound(owner.index, self.stamp))
    }
    /// The decision makers, in declaration order ([`DmId`] `i` is entry `i`).
    #[must_use]
    pub fn decision_makers(&self) -> &[DecisionMaker] {
        &self.dms
    }
    /// A decision maker by name.
    #[must_use]
    pub fn dm_id(&self, name: &str) -> Option<DmId> {
        self.dms
            .iter()
            .position(|d| d.name == name)
            .map(|i| DmId::bound(i as u32, self.stamp))
    }
    /// A decision maker's name.
    #[must_use]
    pub(crate) fn dm_name_raw(&self, d: DmId) -> &str {
        self.dms.get(d.index()).map_or("", |d| &d.name)
    }
    /// The infeasibility statements as declared.
    pub fn infeasible(&self) -> &[Statement] {
        &self.infeasible
    }
    /// The number of feasible states.
    #[must_use]
    pub fn state_count(&self) -> usize {
        self.codes.len()
    }
    /// The feasible states, by ascending code.
    #[must_use]
    pub fn states(&self) -> impl ExactSizeIterator<Item = StateId> {
        let stamp = self.stamp;
        (0..self.codes.len() as u32).map(move |s| StateId::bound(s, stamp))
    }
    /// A state's code: Σ 2^k over the options taken.
    #[must_use]
    pub(crate) fn code_raw(&self, s: StateId) -> u64 {
        self.codes.get(s.index()).copied().unwrap_or(0)
    }
    /// The feasible state with this code.
    #[must_use]
    pub fn state_of_code(&self, code: u64) -> Option<StateId> {
        let i = usize::try_from(code).ok()?;
        self.index
            .get(i)
            .filter(|&&s| s != NONE)
            .map(|&s| StateId::bound(s, self.stamp))
    }
    /// Whether option `o` is taken in state `s`.
    #[must_use]
    pub(crate) fn is_taken_raw(&self, s: StateId, o: OptionId) -> bool {
        self.code_raw(s) >> o.index & 1 == 1
    }
    /// The state's pattern: `Y` or `N` per option, in declaration order.
    #[must_use]
    pub(crate) fn pattern_raw(&self, s: StateId) -> String {
        let code = self.code_raw(s);
        (0..self.options.len())
            .map(|k| if code >> k & 1 == 1 { 'Y' } else { 'N' })
            .collect()
    }
    /// The state with this pattern or number.
    ///
    /// # Errors
    ///
    /// Why the reference names no feasible state.
    pub fn state(&self, r: &StateRef) -> Result<StateId, ConflictError> {
        match self.resolve(r) {
            Ok(s) => Ok(StateId::bound(s.index, self.stamp)),
            Err(why) => Err(ConflictError::State {
                state: r.to_string(),
                why,
            }),
        }
    }
    /// Resolves tiers of state references into a ranking in which every feasible state
    /// appears once. The error says where (tier and entry, or `None` for an omitted state),
    /// the state, and why.
    #[allow(clippy::type_complexity)]
    pub(crate) fn ranking<'r, T>(
        &self,
        tiers: impl IntoIterator<Item = T>,
    ) -> Result<Vec<Vec<StateId>>, (Option<(usize, usize)>, String, String)>
    where
        T: IntoIterator<Item = &'r StateRef>,
    {
        let mut seen = vec![false; self.codes.len()];
        let mut out = Vec::new();
        for (t, tier) in tiers.into_iter().enumerate() {
            let mut ids = Vec::new();
            for (k, r) in tier.into_iter().enumerate() {
                let s = self
                    .resolve(r)
                    .map_err(|why| (Some((t, k)), r.to_string(), why))?;
                if std::mem::replace(&mut seen[s.index()], true) {
                    return Err((
                        Some((t, k)),
                        s.display(self).to_string(),
                        "ranked twice".into(),
                    ));
                }
                ids.push(s);
            }
            out.push(ids);
        }
        if let Some(missing) = seen.iter().position(|s| !s) {
            return Err((
                None,
                StateId(missing as u32).display(self).to_string(),
                "a feasible state the ranking omits".into(),
            ));
        }
        Ok(out)
    }

    /// Replaces a decision maker's preferences (and recorded statements) and recomputes its
    /// payoffs.
    pub(crate) fn set_preferences(&mut self, d: DmId, prefs: Preferences, kept: Vec<Statement>) {
        if let Some(dm) = self.dms.get_mut(d.index()) {
            self.payoffs[d.index()] = payoffs(&prefs, &self.codes);
            dm.preferences = prefs;
            dm.kept = kept;
        }
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
                    code |= 1 << self.find_option(name)?.index;
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
    #[must_use]
    pub fn status_quo(&self) -> Option<StateId> {
        self.status_quo.map(|s| StateId::bound(s.index, self.stamp))
    }
    /// A decision maker's preference for a state: a dense rank from 0 (least preferred); equal
    /// ranks tie.
    #[must_use]
    pub(crate) fn payoff_raw(&self, d: DmId, s: StateId) -> u32 {
        self.payoffs
            .get(d.index())
            .and_then(|p| p.get(s.index()))
            .copied()
            .unwrap_or(0)
    }
    /// The options that differ between two states.
    #[must_use]
    pub(crate) fn changes_raw(&self, from: StateId, to: StateId) -> Vec<OptionId> {
        let diff = self.code_raw(from) ^ self.code_raw(to);
        (0..self.options.len() as u32)
            .filter(|k| diff >> k & 1 == 1)
            .map(OptionId)
            .collect()
    }

    /// The index of a state of this conflict (or an unbound one in range).
    pub(crate) fn st(&self, s: StateId) -> Option<usize> {
        s.fits(self.stamp, self.codes.len())
    }
    /// The index of an option of this conflict (or an unbound one in range).
    pub(crate) fn opt(&self, o: OptionId) -> Option<usize> {
        o.fits(self.stamp, self.options.len())
    }
    /// The index of a decision maker of this conflict (or an unbound one in range).
    pub(crate) fn dmi(&self, d: DmId) -> Option<usize> {
        d.fits(self.stamp, self.dms.len())
    }

    pub(crate) fn index_of(&self, code: u64) -> u32 {
        self.index[code as usize]
    }
}

/// Per handle. Every function here answers `None` for a handle another conflict issued (see
/// [`StateId`]), or one out of range.
impl Conflict {
    /// An option's label, as declared; several options may share one.
    #[must_use]
    pub fn option_name(&self, o: OptionId) -> Option<&str> {
        self.opt(o)?;
        Some(self.option_name_raw(o))
    }
    /// The name that tells the option apart: its label when no other option has it, else
    /// `Decision maker.label` (`"IJC.Full"`) when that is unique, else `#k` (its index).
    /// [`option_id`](Self::option_id) takes it back to the option; texts print it.
    #[must_use]
    pub fn qualified_name(&self, o: OptionId) -> Option<String> {
        self.opt(o)?;
        Some(self.qualified_name_raw(o))
    }
    /// Which way an option may change.
    #[must_use]
    pub fn direction(&self, o: OptionId) -> Option<Direction> {
        self.opt(o)?;
        Some(self.direction_raw(o))
    }
    /// A decision maker's name.
    #[must_use]
    pub fn dm_name(&self, d: DmId) -> Option<&str> {
        self.dmi(d)?;
        Some(self.dm_name_raw(d))
    }
    /// A state's code: Σ 2^k over the options taken.
    #[must_use]
    pub fn code(&self, s: StateId) -> Option<u64> {
        self.st(s)?;
        Some(self.code_raw(s))
    }
    /// Whether option `o` is taken in state `s`.
    #[must_use]
    pub fn is_taken(&self, s: StateId, o: OptionId) -> Option<bool> {
        self.st(s)?;
        self.opt(o)?;
        Some(self.is_taken_raw(s, o))
    }
    /// The state's pattern: `Y` or `N` per option, in declaration order.
    #[must_use]
    pub fn pattern(&self, s: StateId) -> Option<String> {
        self.st(s)?;
        Some(self.pattern_raw(s))
    }
    /// A decision maker's preference for a state: a dense rank from 0 (least preferred); equal
    /// ranks tie.
    #[must_use]
    pub fn payoff(&self, d: DmId, s: StateId) -> Option<u32> {
        self.dmi(d)?;
        self.st(s)?;
        Some(self.payoff_raw(d, s))
    }
    /// The options that differ between two states.
    #[must_use]
    pub fn changes(&self, from: StateId, to: StateId) -> Option<Vec<OptionId>> {
        self.st(from)?;
        self.st(to)?;
        let stamp = self.stamp;
        Some(
            self.changes_raw(from, to)
                .into_iter()
                .map(|o| OptionId::bound(o.index, stamp))
                .collect(),
        )
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
    /// A decision maker controls no option (unless [`ConflictBuilder::allow_idle`]), or
    /// preferences or misperceptions were given for one never declared.
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
    /// An option no decision maker controls (unless [`ConflictBuilder::allow_idle`]).
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
    /// An option name several options answer to.
    #[error("{at}: option name `{option}` is ambiguous: write {}", candidates.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(" or "))]
    AmbiguousOption {
        /// Where the name appears.
        at: String,
        /// The name.
        option: String,
        /// Names that tell the options apart (`IJC.Full`, or `#k`).
        candidates: Vec<String>,
    },
    /// The conflict's tables would exceed the limit set by
    /// [`ConflictBuilder::max_table_bytes`] (see [`Conflict::table_bytes`]).
    #[error(
        "{states} feasible states: the conflict's tables would take {needed} bytes, over the \
         limit of {limit}"
    )]
    TooLarge {
        /// Bytes needed.
        needed: u64,
        /// The limit.
        limit: u64,
        /// The feasible states counted.
        states: usize,
    },
    /// A declaration of unknown preferences ([`ConflictBuilder::uncertain`],
    /// [`ConflictBuilder::rank_interval`]) names an unknown decision maker or a bad state, pairs
    /// a state with itself, or gives a rank interval that is empty, out of range or excludes
    /// the state's stated tier.
    #[error("decision maker `{dm}`, {at}: {why}")]
    Uncertainty {
        /// The decision maker, as written.
        dm: String,
        /// Which declaration: `uncertain[k]` or `rank_interval[k]`, counted per kind.
        at: String,
        /// What is wrong.
        why: String,
    },
    /// A belief about another's preferences ([`ConflictBuilder::perceive_rank`]) names an
    /// unknown decision maker or the viewer itself, or its ranking names a bad state, repeats
    /// one or omits one.
    #[error("decision maker `{viewer}`, {at}: {why}")]
    Belief {
        /// The decision maker holding the belief, as written.
        viewer: String,
        /// Which belief: `beliefs[k]`, in declaration order.
        at: String,
        /// What is wrong.
        why: String,
    },
}

impl Conflict {
    /// Resolves the builder's declarations of unknown preferences into each decision maker's
    /// sorted, deduplicated pairs. Runs after the payoffs are computed (tiers come from them).
    fn resolve_uncertainty(
        &mut self,
        pairs: &[(String, StateRef, StateRef)],
        intervals: &[(String, StateRef, usize, usize)],
    ) -> Result<(), ConflictError> {
        let err = |dm: &str, at: String, why: String| ConflictError::Uncertainty {
            dm: dm.to_string(),
            at,
            why,
        };
        let mut found: Vec<Vec<(StateId, StateId)>> = vec![Vec::new(); self.dms.len()];
        for (k, (dm, a, b)) in pairs.iter().enumerate() {
            let at = || format!("uncertain[{k}]");
            let d = self
                .dm_id(dm)
                .ok_or_else(|| err(dm, at(), "unknown decision maker".into()))?;
            let a = self
                .resolve(a)
                .map_err(|why| err(dm, at(), format!("{a}: {why}")))?;
            let b = self
                .resolve(b)
                .map_err(|why| err(dm, at(), format!("{b}: {why}")))?;
            if a == b {
                return Err(err(
                    dm,
                    at(),
                    format!("state {} is paired with itself", a.display(self)),
                ));
            }
            found[d.index()].push((a.min(b), a.max(b)));
        }
        for (k, (dm, r, lo, hi)) in intervals.iter().enumerate() {
            let at = || format!("rank_interval[{k}]");
            let d = self
                .dm_id(dm)
                .ok_or_else(|| err(dm, at(), "unknown decision maker".into()))?;
            let s = self
                .resolve(r)
                .map_err(|why| err(dm, at(), format!("{r}: {why}")))?;
            let pay = &self.payoffs[d.index()];
            let mut levels = pay.clone();
            levels.sort_unstable_by(|a, b| b.cmp(a));
            levels.dedup();
            // 1 + the number of distinct payoffs above the state's.
            let tier = |x: usize| levels.partition_point(|&l| l > pay[x]) + 1;
            let tiers = levels.len();
            if *lo < 1 || lo > hi || *hi > tiers {
                return Err(err(
                    dm,
                    at(),
                    format!("tiers {lo}..={hi}: need 1 <= lo <= hi <= {tiers} (its tiers)"),
                ));
            }
            let own = tier(s.index());
            if own < *lo || own > *hi {
                return Err(err(
                    dm,
                    at(),
                    format!(
                        "state {} is stated in tier {own}, outside {lo}..={hi}",
                        s.display(self)
                    ),
                ));
            }
            for x in 0..self.codes.len() {
                let t = tier(x);
                if x != s.index() && t >= *lo && t <= *hi {
                    let x = StateId(x as u32);
                    found[d.index()].push((s.min(x), s.max(x)));
                }
            }
        }
        for (dm, mut pairs) in self.dms.iter_mut().zip(found) {
            pairs.sort_unstable();
            pairs.dedup();
            dm.uncertain = pairs;
        }
        Ok(())
    }

    /// Replaces decision maker `d`'s payoffs (one per state, higher preferred) without
    /// touching its stated preferences: for analyses of derived preferences. Ignored when the
    /// id or the length is wrong.
    pub(crate) fn set_payoffs(&mut self, d: DmId, payoffs: Vec<u32>) {
        if payoffs.len() == self.codes.len() {
            if let Some(p) = self.payoffs.get_mut(d.index()) {
                *p = payoffs;
            }
        }
    }

    /// The conflict as decision maker `d` perceives it: the states it misperceives are made
    /// infeasible (its misperception statements join the infeasibility statements), the
    /// decision makers it holds beliefs about get the believed preferences, every
    /// decision maker's preferences are restricted to the states left (rankings lose those
    /// states and any tier left empty; payoffs are dense again), nobody has misperceptions,
    /// unknown pairs lose the states removed, and the status quo is kept when perceived.
    /// `None` when `d` is unknown or perceives no state.
    pub(crate) fn perceived_by(&self, d: DmId) -> Option<Conflict> {
        let viewer = self.dms.get(d.index())?;
        let keep: Vec<bool> = self
            .codes
            .iter()
            .map(|&c| !viewer.misperceptions.iter().any(|m| m.holds(c)))
            .collect();
        let mut new_id = vec![NONE; self.codes.len()];
        let mut codes = Vec::new();
        for (s, &c) in self.codes.iter().enumerate() {
            if keep[s] {
                new_id[s] = codes.len() as u32;
                codes.push(c);
            }
        }
        if codes.is_empty() {
            return None;
        }
        let mut index = vec![NONE; self.index.len()];
        for (s, &c) in codes.iter().enumerate() {
            index[c as usize] = s as u32;
        }
        let map = |s: StateId| Some(new_id[s.index()]).filter(|&n| n != NONE).map(StateId);
        let mut infeasible = self.infeasible.clone();
        infeasible.extend(viewer.misperceptions.iter().cloned());
        let believed = |d: usize| viewer.beliefs.iter().find(|(o, _)| o.index() == d);
        let payoffs = (0..self.dms.len())
            .map(|d| match believed(d) {
                Some((_, prefs)) => payoffs(prefs, &self.codes),
                None => self.payoffs[d].clone(),
            })
            .map(|pay| {
                let mut kept: Vec<u32> = (0..pay.len())
                    .filter(|&s| keep[s])
                    .map(|s| pay[s])
                    .collect();
                let mut levels = kept.clone();
                levels.sort_unstable();
                levels.dedup();
                for p in &mut kept {
                    *p = levels.partition_point(|&l| l < *p) as u32;
                }
                kept
            })
            .collect();
        let dms = self
            .dms
            .iter()
            .enumerate()
            .map(|(d, dm)| DecisionMaker {
                name: dm.name.clone(),
                options: dm.options.clone(),
                mask: dm.mask,
                preferences: match believed(d).map_or(&dm.preferences, |(_, p)| p) {
                    Preferences::Prioritized(list) => Preferences::Prioritized(list.clone()),
                    Preferences::Ranking(tiers) => Preferences::Ranking(
                        tiers
                            .iter()
                            .map(|t| t.iter().filter_map(|&s| map(s)).collect::<Vec<_>>())
                            .filter(|t| !t.is_empty())
                            .collect(),
                    ),
                },
                misperceptions: Vec::new(),
                kept: dm.kept.clone(),
                uncertain: dm
                    .uncertain
                    .iter()
                    .filter_map(|&(a, b)| Some((map(a)?, map(b)?)))
                    .collect(),
                beliefs: Vec::new(),
            })
            .collect();
        Some(Conflict {
            options: self.options.clone(),
            dms,
            infeasible,
            codes,
            index,
            fwd: self.fwd,
            back: self.back,
            payoffs,
            status_quo: self.status_quo.and_then(map),
            coalitions: self.coalitions.clone(),
            stamp: Stamp::fresh(),
        })
    }
}
