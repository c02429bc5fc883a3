//! Scenario files: a negotiation's declaration, its move history and the analyst's questions,
//! as data, and (with the `serde` feature) as JSON.

use std::borrow::Borrow;
use std::fmt;
use std::sync::Arc;

use crate::analysis::Costs;
use crate::build::{BuildError, NegotiationBuilder};
use crate::ids::Owner;
use crate::moves::log::MoveLog;
use crate::moves::{Move, MoveError};
use crate::state::Negotiation;
use crate::time::{Date, Span};

/// The schema version this build writes. It also reads the versions before it (see the crate
/// docs' *Scenario files* section for what changed).
pub const SCHEMA_VERSION: u32 = 3;

/// An error of the JSON parser, kept as the [`source`](std::error::Error::source) of a
/// syntax error so callers can reach its line, column and category.
///
/// Two `JsonError`s are equal when their messages are (serde_json's error has no equality).
#[derive(Clone, Debug)]
pub struct JsonError(std::sync::Arc<dyn std::error::Error + Send + Sync>);

impl JsonError {
    /// Wraps a parser error.
    #[cfg(feature = "serde")]
    pub(crate) fn new(e: serde_json::Error) -> JsonError {
        JsonError(std::sync::Arc::new(e))
    }

    /// The parser's error, for its line, column and category (`serde_json::Error`).
    #[cfg(feature = "serde")]
    #[must_use]
    pub fn as_serde_json(&self) -> Option<&serde_json::Error> {
        self.0.downcast_ref()
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for JsonError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

impl PartialEq for JsonError {
    fn eq(&self, other: &JsonError) -> bool {
        self.0.to_string() == other.0.to_string()
    }
}

impl Eq for JsonError {}

/// Whether this build reads files of `version`.
#[cfg(feature = "serde")]
fn reads_version(version: u64) -> bool {
    (1..=u64::from(SCHEMA_VERSION)).contains(&version)
}

/// A named sequence of hypothetical moves, applied to the state after the history
/// ("what if the Minsk Group is dissolved?").
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct Branch {
    /// A short name.
    pub name: String,
    /// What the branch stands for.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub description: Option<String>,
    /// The moves, in order.
    pub moves: Vec<Move>,
}

/// A scenario: the initial model, the moves applied to it, and the analyst's questions.
///
/// See the crate documentation's *Scenario files* section for the JSON format.
///
/// The model and the moves are shared (`Arc`s): a scenario and the negotiation loaded from it
/// ([`from_json`](Self::from_json), [`negotiation`](Self::negotiation)), or a negotiation and
/// its scenario ([`of`](Self::of)), hold them once. To change them, [`Arc::make_mut`] copies
/// them first if they are shared (copy on write): the negotiation keeps what it was built
/// from, and a negotiation that moves on records its new moves on its own.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct Scenario {
    /// The schema version ([`SCHEMA_VERSION`]).
    pub version: u32,
    /// A title for reports.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub title: Option<String>,
    /// A description for reports.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub description: Option<String>,
    /// The stage reports centre on (`"peace.signed"`); by default each track's first
    /// unreached stage.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub focus: Option<String>,
    /// The initial model, shared with the negotiations built from it.
    pub model: Arc<NegotiationBuilder>,
    /// The moves applied to it, in order, shared with the negotiation loaded from them.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub moves: Arc<Vec<Move>>,
    /// Hypothetical branches from the state after the moves.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub what_if: Vec<Branch>,
    /// Move costs for the analyses (cheapest unblocking sets, plan costs), with the reasons.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub costs: Option<Costs>,
    /// The date reports are written as of (what is overdue, the earliest dates); by default
    /// the latest date recorded in the moves.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub as_of: Option<Date>,
    /// How far ahead reports list what comes due; by default 30 days.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub window: Option<Span>,
}

/// Why a scenario could not be read or replayed. The message starts with the path to the
/// offending entry (`moves[12].actor: unknown party `azerbaijn``).
///
/// New variants may be added in minor releases.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// The file is not valid JSON for the format: a syntax error, a missing or unknown field,
    /// a value of the wrong type.
    #[error("{path}: {message}")]
    Syntax {
        /// The path to the entry (`.` for the document itself).
        path: String,
        /// What is wrong, with the line and column.
        message: String,
        /// The JSON parser's error, when it found the problem (not for problems this crate
        /// finds itself, such as a document that is not an object).
        #[source]
        source: Option<JsonError>,
    },
    /// The file declares a schema version this build does not read.
    #[error(
        "version: unsupported schema version {found} (this build reads versions 1 to {SCHEMA_VERSION})"
    )]
    UnsupportedVersion {
        /// The version found.
        found: String,
    },
    /// The model does not validate.
    #[error("model{}", path_message(.source))]
    Model {
        /// Why.
        #[source]
        source: BuildError,
    },
    /// The focus or a cost names a node or party the negotiation does not have.
    #[error("{path}: unknown {expected} `{id}`{}", crate::util::did_you_mean(.suggestion))]
    UnknownReference {
        /// Where it stands (`focus`, `costs.nodes.x`).
        path: String,
        /// What kind of thing was expected.
        expected: &'static str,
        /// The id.
        id: String,
        /// The nearest id of that kind, if one is near.
        suggestion: Option<String>,
    },
    /// A move of the history fails.
    #[error("moves[{index}]{}", move_message(.source))]
    Move {
        /// The move's index in `moves`.
        index: usize,
        /// Why.
        #[source]
        source: MoveError,
    },
    /// A move of a what-if branch names something the negotiation does not have.
    #[error("what_if[{branch}].moves[{index}]{}", move_message(.source))]
    Branch {
        /// The branch's index in `what_if`.
        branch: usize,
        /// The move's index in the branch.
        index: usize,
        /// Why.
        #[source]
        source: MoveError,
    },
}

/// `.path: message` for errors that carry a path, `: message` otherwise.
fn path_message(e: &BuildError) -> String {
    if e.path().is_empty() {
        format!(": {e}")
    } else {
        format!(".{e}")
    }
}

fn move_message(e: &MoveError) -> String {
    // A declaration inside a move is flat in the file: `requirement.requires_any_of[1]`,
    // `track.stages[0]` and `entry.due.after` are `moves[i].requires_any_of[1]`,
    // `moves[i].stages[0]` and `moves[i].due.after` there.
    if let MoveError::Declaration { source } = e {
        let text = source.to_string();
        for prefix in ["requirement.", "track.", "entry."] {
            if let Some(rest) = text.strip_prefix(prefix) {
                return format!(".{rest}");
            }
        }
    }
    match e {
        MoveError::UnknownParty { .. }
        | MoveError::UnknownTrack { .. }
        | MoveError::UnknownNode { .. }
        | MoveError::WrongKind { .. }
        | MoveError::InvalidField { .. }
        | MoveError::OutOfOrder { .. } => {
            format!(".{e}")
        }
        _ => format!(": {e}"),
    }
}

impl Scenario {
    /// A scenario of the negotiation's declaration and history, with no questions. The
    /// declaration is shared with the negotiation, and so are the moves of a negotiation
    /// loaded from a scenario that has recorded none since; other histories are rebuilt as
    /// [`Move`]s (O(moves)).
    #[must_use]
    pub fn of(negotiation: &Negotiation) -> Scenario {
        Scenario {
            version: SCHEMA_VERSION,
            title: None,
            description: None,
            focus: None,
            model: Arc::clone(&negotiation.initial),
            moves: negotiation.history.to_shared(&negotiation.tables()),
            what_if: Vec::new(),
            costs: None,
            as_of: None,
            window: None,
        }
    }

    /// Builds the model and applies the moves. The negotiation shares the scenario's model
    /// and moves (its declaration and history) instead of copying them; the moves it is
    /// given afterwards it records on its own.
    ///
    /// # Errors
    ///
    /// [`ScenarioError::Model`] or [`ScenarioError::Move`], with the path to the entry.
    pub fn negotiation(&self) -> Result<Negotiation, ScenarioError> {
        rebuild_sharing(&self.model, Owner::fresh(), &self.moves)
    }

    /// Checks that the focus and the costs name nodes and parties the negotiation has after
    /// its history.
    ///
    /// # Errors
    ///
    /// The first of [`reference_problems`](Self::reference_problems).
    pub fn check_references(&self, negotiation: &Negotiation) -> Result<(), ScenarioError> {
        self.reference_problems(negotiation)
            .into_iter()
            .next()
            .map_or(Ok(()), Err)
    }

    /// Every focus or cost entry that names a node or party the negotiation does not have
    /// after its history, as [`ScenarioError::UnknownReference`] with the path to the entry,
    /// in file order (the focus, then the costs by key).
    #[must_use]
    pub fn reference_problems(&self, negotiation: &Negotiation) -> Vec<ScenarioError> {
        let mut problems = Vec::new();
        let mut unknown = |path: String, expected: &'static str, id: &str| {
            problems.push(ScenarioError::UnknownReference {
                path,
                expected,
                id: id.to_owned(),
                suggestion: negotiation.nearest_id(expected, id),
            });
        };
        if let Some(f) = &self.focus {
            if negotiation.node_id(f).is_none() {
                unknown("focus".to_owned(), "node", f);
            }
        }
        let Some(costs) = &self.costs else {
            return problems;
        };
        for n in costs.nodes.keys() {
            if negotiation.node_id(n).is_none() {
                unknown(format!("costs.nodes.{n}"), "node", n);
            }
        }
        for p in costs.parties.keys() {
            if negotiation.party_id(p).is_none() {
                unknown(format!("costs.parties.{p}"), "party", p);
            }
        }
        for (p, nodes) in &costs.party_nodes {
            if negotiation.party_id(p).is_none() {
                unknown(format!("costs.party_nodes.{p}"), "party", p);
            }
            for n in nodes.keys() {
                if negotiation.node_id(n).is_none() {
                    unknown(format!("costs.party_nodes.{p}.{n}"), "node", n);
                }
            }
        }
        problems
    }

    /// Checks that every what-if move names a party, track and node that exist after the
    /// history (or that an earlier move of its branch creates). Moves that are refused for
    /// other reasons are answers, not errors: a report says why they fail.
    ///
    /// # Errors
    ///
    /// The first of [`branch_problems`](Self::branch_problems).
    pub fn check_branches(&self, negotiation: &Negotiation) -> Result<(), ScenarioError> {
        self.branch_problems(negotiation)
            .into_iter()
            .next()
            .map_or(Ok(()), Err)
    }

    /// Every what-if move that names a party, track or node that does not exist after the
    /// history (nor is created by an earlier move of its branch), as
    /// [`ScenarioError::Branch`] with the path to the move, in file order.
    #[must_use]
    pub fn branch_problems(&self, negotiation: &Negotiation) -> Vec<ScenarioError> {
        let mut problems = Vec::new();
        for (b, branch) in self.what_if.iter().enumerate() {
            let mut neg = negotiation.clone();
            for (index, mv) in branch.moves.iter().enumerate() {
                if let Err(
                    source @ (MoveError::UnknownParty { .. }
                    | MoveError::UnknownTrack { .. }
                    | MoveError::UnknownNode { .. }),
                ) = neg.apply(mv)
                {
                    problems.push(ScenarioError::Branch {
                        branch: b,
                        index,
                        source,
                    });
                }
            }
        }
        problems
    }
}

/// `model` built (its handles stamped `owner`: a state rebuilt from a negotiation's history
/// keeps that negotiation's stamp) and `moves` applied, the negotiation sharing `model`; its
/// history records the moves compactly.
///
/// # Errors
///
/// [`ScenarioError::Model`] or [`ScenarioError::Move`], with the path to the entry.
pub(crate) fn rebuild(
    model: &Arc<NegotiationBuilder>,
    owner: Owner,
    moves: impl IntoIterator<Item = impl Borrow<Move>>,
) -> Result<Negotiation, ScenarioError> {
    replay(model, owner, moves, true)
}

/// [`rebuild`] with `moves` as its history, shared rather than recorded (the moves are not
/// copied into the negotiation's log, which would then be thrown away).
///
/// # Errors
///
/// As [`rebuild`].
pub(crate) fn rebuild_sharing(
    model: &Arc<NegotiationBuilder>,
    owner: Owner,
    moves: &Arc<Vec<Move>>,
) -> Result<Negotiation, ScenarioError> {
    let mut neg = replay(model, owner, moves.iter(), false)?;
    neg.history = MoveLog::shared(Arc::clone(moves));
    Ok(neg)
}

/// `model` built and `moves` applied, each recorded in the history when `record`.
fn replay(
    model: &Arc<NegotiationBuilder>,
    owner: Owner,
    moves: impl IntoIterator<Item = impl Borrow<Move>>,
    record: bool,
) -> Result<Negotiation, ScenarioError> {
    // The declaration is held once: the negotiation shares the scenario's.
    let mut neg = NegotiationBuilder::build_shared(Arc::clone(model), owner)
        .map_err(|source| ScenarioError::Model { source })?;
    for (index, mv) in moves.into_iter().enumerate() {
        let applied = if record {
            neg.apply_quietly(mv.borrow())
        } else {
            neg.apply_unrecorded(mv.borrow())
        };
        applied.map_err(|source| ScenarioError::Move { index, source })?;
    }
    Ok(neg)
}

impl Negotiation {
    /// The declaration the negotiation was built from.
    pub fn initial_model(&self) -> &NegotiationBuilder {
        &self.initial
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({} moves, {} what-if branches)",
            self.title.as_deref().unwrap_or("untitled scenario"),
            self.moves.len(),
            self.what_if.len()
        )
    }
}

/// A serde path as error messages print it: `.` for the document itself.
#[cfg(feature = "serde")]
pub(crate) fn json_path(path: &serde_path_to_error::Path) -> String {
    match path.to_string() {
        p if p == "?" || p.is_empty() => ".".to_owned(),
        p => p,
    }
}

#[cfg(feature = "serde")]
mod json {
    use super::JsonError;
    use serde::de;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{Scenario, ScenarioError, SCHEMA_VERSION};
    use crate::state::Negotiation;

    impl Scenario {
        /// Reads a scenario from JSON and checks it: the schema version, unknown fields,
        /// the model, every move of the history, and the names used by what-if branches.
        ///
        /// # Errors
        ///
        /// A [`ScenarioError`] whose message starts with the path to the offending entry.
        pub fn from_json(json: &str) -> Result<(Scenario, Negotiation), ScenarioError> {
            let scenario = Scenario::parse(json)?;
            let negotiation = scenario.negotiation()?;
            scenario.check_references(&negotiation)?;
            scenario.check_branches(&negotiation)?;
            Ok((scenario, negotiation))
        }

        /// Every problem of a scenario file, where [`from_json`](Self::from_json) stops at
        /// the first: a syntax error or an invalid model alone (nothing after them can be
        /// checked), else every move of the history that fails (each tried on the state the
        /// moves before it that succeeded leave), every unknown focus or cost reference, and
        /// every what-if move naming something unknown. Empty when the file loads.
        #[must_use]
        pub fn check_json(json: &str) -> Vec<ScenarioError> {
            let scenario = match Scenario::parse(json) {
                Ok(scenario) => scenario,
                Err(e) => return vec![e],
            };
            let mut neg = match (*scenario.model).clone().build() {
                Ok(neg) => neg,
                Err(source) => return vec![ScenarioError::Model { source }],
            };
            let mut problems: Vec<ScenarioError> = scenario
                .moves
                .iter()
                .enumerate()
                .filter_map(|(index, mv)| {
                    neg.apply_quietly(mv)
                        .err()
                        .map(|source| ScenarioError::Move { index, source })
                })
                .collect();
            problems.extend(scenario.reference_problems(&neg));
            problems.extend(scenario.branch_problems(&neg));
            problems
        }

        /// Reads the document: syntax, schema version, unknown fields, trailing content.
        fn parse(json: &str) -> Result<Scenario, ScenarioError> {
            #[derive(Deserialize)]
            struct Version {
                version: Option<serde_json::Value>,
            }
            let syntax = |path: String, e: serde_json::Error| ScenarioError::Syntax {
                path,
                message: out_of_range(json, &e).unwrap_or_else(|| e.to_string()),
                source: Some(JsonError::new(e)),
            };
            // A document that is not an object has no version to read: say what it is.
            if let Some(c @ ('[' | '"' | '0'..='9' | '-' | 't' | 'f' | 'n')) =
                json.trim_start().chars().next()
            {
                {
                    let what = match c {
                        '[' => "an array",
                        '"' => "a string",
                        't' | 'f' => "a boolean",
                        'n' => "null",
                        _ => "a number",
                    };
                    return Err(ScenarioError::Syntax {
                        path: ".".to_owned(),
                        message: format!(
                            "the document is {what}; a scenario file is one object ({{\"version\": …, \"model\": …}})"
                        ),
                        source: None,
                    });
                }
            }
            // The version decides how to read the rest, so its error comes first; but a file of
            // this version is parsed once: the version alone is read only when the typed parse
            // fails or finds another version.
            let version_error = || -> Option<ScenarioError> {
                let version: Version = serde_json::from_str(json).ok()?;
                match version.version {
                    Some(v) if v.as_u64().is_some_and(super::reads_version) => None,
                    Some(v) => Some(ScenarioError::UnsupportedVersion {
                        found: v.to_string(),
                    }),
                    None => Some(ScenarioError::Syntax {
                        path: "version".to_owned(),
                        message: "missing: a scenario file states its schema version".to_owned(),
                        source: None,
                    }),
                }
            };
            let de = &mut serde_json::Deserializer::from_str(json);
            let mut scenario: Scenario =
                match serde_path_to_error::deserialize(crate::strict::Strict(&mut *de)) {
                    Ok(scenario) => scenario,
                    Err(e) => {
                        return Err(version_error()
                            .unwrap_or_else(|| syntax(super::json_path(e.path()), e.into_inner())))
                    }
                };
            // A second document appended to the file would otherwise be dropped.
            de.end().map_err(|e| ScenarioError::Syntax {
                path: ".".to_owned(),
                message: format!("content after the scenario document: {e}"),
                source: Some(JsonError::new(e)),
            })?;
            if !super::reads_version(u64::from(scenario.version)) {
                return Err(ScenarioError::UnsupportedVersion {
                    found: scenario.version.to_string(),
                });
            }
            // Each version only adds to the one before: the file now reads as this version.
            scenario.version = SCHEMA_VERSION;
            Ok(scenario)
        }

        /// The scenario as pretty-printed JSON.
        #[must_use]
        pub fn to_json(&self) -> String {
            // Serializing these types cannot fail: every map key is a string.
            serde_json::to_string_pretty(self).unwrap_or_default()
        }
    }

    /// For an integer too large for its field, which serde_json reads as a float ("invalid
    /// type: floating point `1.8446744073709552e+19`, expected u64"): the message that says so,
    /// with the integer as written.
    fn out_of_range(json: &str, e: &serde_json::Error) -> Option<String> {
        let message = e.to_string();
        let rest = message.strip_prefix("invalid type: floating point `")?;
        let expected = rest.split(", expected ").nth(1)?;
        let ty = expected.split_whitespace().next()?;
        if !matches!(ty, "u64" | "u32" | "u16" | "u8" | "usize" | "i64" | "i32") {
            return None;
        }
        // The error points just past the number: read it back from the text.
        let line = json.lines().nth(e.line().checked_sub(1)?)?;
        let end = line
            .char_indices()
            .nth(e.column().checked_sub(1)?)
            .map_or(line.len(), |(i, _)| i);
        let head = line.get(..end)?;
        let start = head
            .rfind(|c: char| !(c.is_ascii_digit() || c == '-'))
            .map_or(0, |i| i + 1);
        let number = head.get(start..)?;
        if number.is_empty()
            || !number
                .trim_start_matches('-')
                .chars()
                .all(|c| c.is_ascii_digit())
        {
            return None;
        }
        Some(format!(
            "integer {number} out of range for {ty} at line {} column {}",
            e.line(),
            e.column()
        ))
    }

    /// A negotiation serializes as its scenario (declaration and history) and deserializes by
    /// replaying it, so a round trip yields an equal negotiation ([invariant I5](crate#guarantees)).
    impl Serialize for Negotiation {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            Scenario::of(self).serialize(serializer)
        }
    }

    impl<'de> Deserialize<'de> for Negotiation {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let scenario = Scenario::deserialize(crate::strict::Strict(deserializer))?;
            if !super::reads_version(u64::from(scenario.version)) {
                return Err(de::Error::custom(ScenarioError::UnsupportedVersion {
                    found: scenario.version.to_string(),
                }));
            }
            // The scenario is dropped: the negotiation records its moves compactly rather
            // than keeping the scenario's.
            super::rebuild(
                &scenario.model,
                crate::ids::Owner::fresh(),
                scenario.moves.iter(),
            )
            .map_err(de::Error::custom)
        }
    }
}
