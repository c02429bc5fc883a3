//! Scenario files: a negotiation's declaration, its move history and the analyst's questions,
//! as data, and (with the `serde` feature) as JSON.

use std::fmt;

use crate::analysis::Costs;
use crate::build::{BuildError, NegotiationBuilder};
use crate::ids::Owner;
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
    /// The initial model.
    pub model: NegotiationBuilder,
    /// The moves applied to it, in order.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub moves: Vec<Move>,
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
    #[error("{path}: unknown {expected} `{id}`{}", crate::state::did_you_mean(.suggestion))]
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
    /// A scenario of the negotiation's declaration and history, with no questions.
    pub fn of(negotiation: &Negotiation) -> Scenario {
        Scenario {
            version: SCHEMA_VERSION,
            title: None,
            description: None,
            focus: None,
            model: (*negotiation.initial).clone(),
            moves: negotiation.history.clone(),
            what_if: Vec::new(),
            costs: None,
            as_of: None,
            window: None,
        }
    }

    /// Builds the model and applies the moves.
    ///
    /// # Errors
    ///
    /// [`ScenarioError::Model`] or [`ScenarioError::Move`], with the path to the entry.
    pub fn negotiation(&self) -> Result<Negotiation, ScenarioError> {
        self.negotiation_as(Owner::fresh())
    }

    /// [`negotiation`](Self::negotiation), its handles stamped `owner` (a state rebuilt from
    /// a negotiation's history keeps that negotiation's stamp).
    pub(crate) fn negotiation_as(&self, owner: Owner) -> Result<Negotiation, ScenarioError> {
        let mut neg = self
            .model
            .clone()
            .build_as(owner)
            .map_err(|source| ScenarioError::Model { source })?;
        for (index, mv) in self.moves.iter().enumerate() {
            neg.apply_quietly(mv)
                .map_err(|source| ScenarioError::Move { index, source })?;
        }
        Ok(neg)
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

#[cfg(feature = "serde")]
pub(crate) use json::{pairs, unique_map, MoveWire, RequirementWire};

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
    use serde::de::{self, MapAccess, Visitor};
    use serde::ser::SerializeMap;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{Scenario, ScenarioError, SCHEMA_VERSION};
    use crate::build::{BasisSpec, Needs, RequirementSpec, StageSpec, TrackSpec};
    use crate::model::{Position, Role};
    use crate::moves::{Move, MoveKind, MoveMeta};
    use crate::schedule::{DueSpec, LongStopSpec, ScheduleSpec, Takes};
    use crate::state::Negotiation;
    use crate::time::{Date, Span};

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
        pub fn check_json(json: &str) -> Vec<ScenarioError> {
            let scenario = match Scenario::parse(json) {
                Ok(scenario) => scenario,
                Err(e) => return vec![e],
            };
            let mut neg = match scenario.model.clone().build() {
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
            scenario.negotiation().map_err(de::Error::custom)
        }
    }

    /// Pairs keyed by an id as a JSON object in declaration order: article positions
    /// `{"armenia": "accepts"}`, track roles `{"usa": "mediator"}`, weights `{"de": 84}`.
    pub(crate) mod pairs {
        use super::*;

        pub(crate) fn serialize<S: Serializer, V: Serialize>(
            pairs: &[(String, V)],
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(Some(pairs.len()))?;
            for (key, value) in pairs {
                map.serialize_entry(key, value)?;
            }
            map.end()
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>, V: Deserialize<'de>>(
            deserializer: D,
        ) -> Result<Vec<(String, V)>, D::Error> {
            struct Pairs<V>(std::marker::PhantomData<V>);
            impl<'de, V: Deserialize<'de>> Visitor<'de> for Pairs<V> {
                type Value = Vec<(String, V)>;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("an object keyed by ids")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                    let mut pairs: Vec<(String, V)> = Vec::new();
                    let mut seen = std::collections::HashSet::new();
                    while let Some((key, value)) = map.next_entry::<String, V>()? {
                        if !seen.insert(key.clone()) {
                            return Err(de::Error::custom(format!("duplicate key `{key}`")));
                        }
                        pairs.push((key, value));
                    }
                    Ok(pairs)
                }
            }
            deserializer.deserialize_map(Pairs(std::marker::PhantomData))
        }
    }

    /// A map keyed by ids that refuses a repeated key (serde's maps keep the last silently):
    /// the costs' `nodes`, `parties` and `party_nodes`.
    pub(crate) mod unique_map {
        use std::collections::BTreeMap;

        use super::*;

        pub(crate) fn deserialize<'de, D: Deserializer<'de>, V: Deserialize<'de>>(
            deserializer: D,
        ) -> Result<BTreeMap<String, V>, D::Error> {
            Ok(pairs::deserialize(deserializer)?.into_iter().collect())
        }

        /// Ids to maps of ids, both without repeated keys.
        pub(crate) fn nested<'de, D: Deserializer<'de>, V: Deserialize<'de>>(
            deserializer: D,
        ) -> Result<BTreeMap<String, BTreeMap<String, V>>, D::Error> {
            struct Inner<V>(BTreeMap<String, V>);
            impl<'de, V: Deserialize<'de>> Deserialize<'de> for Inner<V> {
                fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    deserialize(d).map(Inner)
                }
            }
            let outer: Vec<(String, Inner<V>)> = pairs::deserialize(deserializer)?;
            Ok(outer.into_iter().map(|(k, v)| (k, v.0)).collect())
        }
    }

    /// [`pairs`] for an optional field.
    pub(crate) mod optional_pairs {
        use super::*;

        pub(crate) fn serialize<S: Serializer, V: Serialize>(
            value: &Option<Vec<(String, V)>>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(pairs) => super::pairs::serialize(pairs, serializer),
                None => serializer.serialize_none(),
            }
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>, V: Deserialize<'de>>(
            deserializer: D,
        ) -> Result<Option<Vec<(String, V)>>, D::Error> {
            super::pairs::deserialize(deserializer).map(Some)
        }
    }

    /// A requirement in a file: `{"node": "x", "requires": "y"}`, or instead of `requires`
    /// one of `requires_any_of: ["a", "b"]`, `requires_at_least: {"count": 3, "of": [...]}`,
    /// `requires_weight: {"at_least": 650, "of": {"de": 184, ...}}`; with an optional basis:
    /// `"basis": "precondition", "by": "france"` or `"basis": "procedure", "citation": "..."`.
    #[derive(Default, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(crate) struct RequirementWire {
        pub(crate) node: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub(crate) requires: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub(crate) requires_any_of: Option<Vec<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub(crate) requires_at_least: Option<AtLeastWire>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub(crate) requires_weight: Option<WeightWire>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub(crate) basis: Option<BasisWire>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub(crate) by: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub(crate) citation: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub(crate) group: Option<String>,
    }

    #[derive(Clone, Copy, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub(crate) enum BasisWire {
        Precondition,
        Procedure,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(crate) struct AtLeastWire {
        count: u32,
        of: Vec<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(crate) struct WeightWire {
        at_least: u32,
        #[serde(with = "pairs")]
        of: Vec<(String, u32)>,
    }

    impl TryFrom<RequirementWire> for RequirementSpec {
        type Error = String;
        fn try_from(w: RequirementWire) -> Result<Self, String> {
            let needs = match (
                w.requires,
                w.requires_any_of,
                w.requires_at_least,
                w.requires_weight,
            ) {
                (Some(one), None, None, None) => Needs::Node(one),
                (None, Some(any), None, None) => Needs::AnyOf(any),
                (None, None, Some(k), None) => Needs::AtLeast {
                    count: k.count,
                    of: k.of,
                },
                (None, None, None, Some(w)) => Needs::Weight {
                    at_least: w.at_least,
                    of: w.of,
                },
                _ => {
                    return Err(format!(
                        "requirement of `{}` needs exactly one of `requires`, `requires_any_of`, `requires_at_least`, `requires_weight`",
                        w.node
                    ))
                }
            };
            let basis = match (w.basis, w.by, w.citation) {
                (None, None, None) => BasisSpec::Default,
                (None | Some(BasisWire::Precondition), Some(by), None) => {
                    BasisSpec::Precondition(by)
                }
                (Some(BasisWire::Precondition), None, _) => {
                    return Err(format!(
                        "requirement of `{}`: a precondition needs `by`, the party whose precondition it is",
                        w.node
                    ))
                }
                (None | Some(BasisWire::Procedure), None, citation) => {
                    BasisSpec::Procedure(citation)
                }
                _ => {
                    return Err(format!(
                        "requirement of `{}`: `by` goes with a precondition, `citation` with a procedure",
                        w.node
                    ))
                }
            };
            Ok(RequirementSpec {
                node: w.node,
                needs,
                basis,
                group: w.group,
            })
        }
    }

    impl From<RequirementSpec> for RequirementWire {
        fn from(r: RequirementSpec) -> Self {
            let mut w = RequirementWire {
                node: r.node,
                group: r.group,
                ..RequirementWire::default()
            };
            match r.needs {
                Needs::Node(one) => w.requires = Some(one),
                Needs::AnyOf(any) => w.requires_any_of = Some(any),
                Needs::AtLeast { count, of } => {
                    w.requires_at_least = Some(AtLeastWire { count, of })
                }
                Needs::Weight { at_least, of } => {
                    w.requires_weight = Some(WeightWire { at_least, of })
                }
            }
            match r.basis {
                BasisSpec::Default => {}
                BasisSpec::Precondition(by) => {
                    w.basis = Some(BasisWire::Precondition);
                    w.by = Some(by);
                }
                BasisSpec::Procedure(citation) => {
                    w.basis = Some(BasisWire::Procedure);
                    w.citation = citation;
                }
            }
            w
        }
    }

    /// The verb of a move in a file.
    #[derive(Clone, Copy, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Verb {
        Accept,
        Reject,
        SetPosition,
        ProposeArticle,
        AmendArticle,
        MoveArticle,
        ExcludeArticle,
        Demand,
        Link,
        Unlink,
        Waive,
        Contest,
        Fulfil,
        Offer,
        Make,
        Retract,
        Perform,
        DeclareReady,
        Require,
        Unrequire,
        OpenTrack,
        Record,
        Reschedule,
        Extend,
    }

    /// A move in a file: one flat object,
    /// `{"actor": "armenia", "move": "perform", "stage": "peace.finalized", "date": "2025-03-13"}`.
    #[derive(Default, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(crate) struct MoveWire {
        actor: String,
        #[serde(rename = "move")]
        verb: Option<Verb>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        article: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        position: Option<Position>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        track: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to_track: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        condition: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owed_by: Option<Vec<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        precondition_of: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        concession: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stage: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        node: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        requires: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        requires_any_of: Option<Vec<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        requires_at_least: Option<AtLeastWire>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        requires_weight: Option<WeightWire>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        basis: Option<BasisWire>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        citation: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        group: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        principals: Option<Vec<String>>,
        #[serde(
            default,
            with = "optional_pairs",
            skip_serializing_if = "Option::is_none"
        )]
        roles: Option<Vec<(String, Role)>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stages: Option<Vec<StageSpec>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        long_stop: Option<LongStopSpec>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due: Option<DueSpec>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        takes: Option<Takes>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<Date>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        event: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        about: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        date: Option<Date>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    }

    impl From<Move> for MoveWire {
        fn from(m: Move) -> Self {
            let mut w = MoveWire {
                actor: m.actor,
                date: m.meta.date,
                source: m.meta.source,
                note: m.meta.note,
                ..MoveWire::default()
            };
            w.verb = Some(match m.kind {
                MoveKind::SetPosition { article, position } => {
                    w.article = Some(article);
                    match position {
                        Position::Accepts => Verb::Accept,
                        Position::Rejects => Verb::Reject,
                        Position::NotStated => {
                            w.position = Some(position);
                            Verb::SetPosition
                        }
                    }
                }
                MoveKind::ProposeArticle {
                    article,
                    track,
                    title,
                } => {
                    (w.article, w.track, w.title) = (Some(article), Some(track), Some(title));
                    Verb::ProposeArticle
                }
                MoveKind::AmendArticle { article, title } => {
                    (w.article, w.title) = (Some(article), Some(title));
                    Verb::AmendArticle
                }
                MoveKind::MoveArticle { article, to_track } => {
                    (w.article, w.to_track) = (Some(article), Some(to_track));
                    Verb::MoveArticle
                }
                MoveKind::ExcludeArticle { article } => {
                    w.article = Some(article);
                    Verb::ExcludeArticle
                }
                MoveKind::Demand {
                    condition,
                    description,
                    owed_by,
                    precondition_of,
                } => {
                    (w.condition, w.description, w.owed_by) =
                        (Some(condition), Some(description), Some(owed_by));
                    w.precondition_of = precondition_of;
                    Verb::Demand
                }
                MoveKind::Link { condition, stage } => {
                    (w.condition, w.stage) = (Some(condition), Some(stage));
                    Verb::Link
                }
                MoveKind::Unlink { condition, stage } => {
                    (w.condition, w.stage) = (Some(condition), Some(stage));
                    Verb::Unlink
                }
                MoveKind::Waive { condition } => {
                    w.condition = Some(condition);
                    Verb::Waive
                }
                MoveKind::Contest { condition } => {
                    w.condition = Some(condition);
                    Verb::Contest
                }
                MoveKind::Fulfil { condition } => {
                    w.condition = Some(condition);
                    Verb::Fulfil
                }
                MoveKind::Offer { concession } => {
                    w.concession = Some(concession);
                    Verb::Offer
                }
                MoveKind::Make { concession } => {
                    w.concession = Some(concession);
                    Verb::Make
                }
                MoveKind::Retract { concession } => {
                    w.concession = Some(concession);
                    Verb::Retract
                }
                MoveKind::Perform { stage } => {
                    w.stage = Some(stage);
                    Verb::Perform
                }
                MoveKind::DeclareReady { stage } => {
                    w.stage = Some(stage);
                    Verb::DeclareReady
                }
                MoveKind::Require { requirement } => {
                    let r = RequirementWire::from(requirement);
                    w.node = Some(r.node);
                    (w.requires, w.requires_any_of) = (r.requires, r.requires_any_of);
                    (w.requires_at_least, w.requires_weight) =
                        (r.requires_at_least, r.requires_weight);
                    (w.basis, w.by, w.citation) = (r.basis, r.by, r.citation);
                    w.group = r.group;
                    Verb::Require
                }
                MoveKind::Unrequire { node, required } => {
                    (w.node, w.requires) = (Some(node), Some(required));
                    Verb::Unrequire
                }
                MoveKind::OpenTrack { track } => {
                    (w.track, w.title) = (Some(track.id), Some(track.title));
                    w.principals = Some(track.principals);
                    w.roles = (!track.roles.is_empty()).then_some(track.roles);
                    w.stages = Some(track.stages);
                    w.long_stop = track.long_stop;
                    Verb::OpenTrack
                }
                MoveKind::Record { event, about } => {
                    (w.event, w.about) = (Some(event), about);
                    Verb::Record
                }
                MoveKind::Reschedule { entry } => {
                    (w.node, w.due, w.takes) = (Some(entry.node), entry.due, entry.takes);
                    Verb::Reschedule
                }
                MoveKind::Extend { track, until } => {
                    (w.track, w.until) = (Some(track), Some(until));
                    Verb::Extend
                }
            });
            w
        }
    }

    /// A due date in files: a date, or `{"within": "10 days", "after": "node"}`.
    impl Serialize for DueSpec {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            match self {
                DueSpec::By(date) => date.serialize(s),
                DueSpec::Within { span, after } => {
                    let mut m = s.serialize_map(Some(2))?;
                    m.serialize_entry("within", span)?;
                    m.serialize_entry("after", after)?;
                    m.end()
                }
            }
        }
    }

    impl<'de> Deserialize<'de> for DueSpec {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            #[derive(Deserialize)]
            #[serde(deny_unknown_fields)]
            struct Within {
                within: Span,
                after: String,
            }
            struct DueVisitor;
            impl<'de> Visitor<'de> for DueVisitor {
                type Value = DueSpec;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(
                        r#"a date (`"2026-12-01"`) or `{"within": "10 days", "after": "node id"}`"#,
                    )
                }
                fn visit_str<E: de::Error>(self, v: &str) -> Result<DueSpec, E> {
                    v.parse().map(DueSpec::By).map_err(E::custom)
                }
                fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<DueSpec, A::Error> {
                    let w = Within::deserialize(de::value::MapAccessDeserializer::new(map))?;
                    Ok(DueSpec::Within {
                        span: w.within,
                        after: w.after,
                    })
                }
            }
            d.deserialize_any(DueVisitor)
        }
    }

    impl TryFrom<MoveWire> for Move {
        type Error = String;

        fn try_from(mut w: MoveWire) -> Result<Self, String> {
            let verb = w.verb.ok_or("missing field `move`")?;
            let name = serde_json::to_value(verb)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            let need = |field: Option<String>, label: &str| {
                field.ok_or_else(|| format!("`{name}` needs `{label}`"))
            };
            let kind = match verb {
                Verb::Accept | Verb::Reject | Verb::SetPosition => MoveKind::SetPosition {
                    article: need(w.article.take(), "article")?,
                    position: match verb {
                        Verb::Accept => Position::Accepts,
                        Verb::Reject => Position::Rejects,
                        _ => w
                            .position
                            .take()
                            .ok_or(format!("`{name}` needs `position`"))?,
                    },
                },
                Verb::ProposeArticle => MoveKind::ProposeArticle {
                    article: need(w.article.take(), "article")?,
                    track: need(w.track.take(), "track")?,
                    title: need(w.title.take(), "title")?,
                },
                Verb::AmendArticle => MoveKind::AmendArticle {
                    article: need(w.article.take(), "article")?,
                    title: need(w.title.take(), "title")?,
                },
                Verb::MoveArticle => MoveKind::MoveArticle {
                    article: need(w.article.take(), "article")?,
                    to_track: need(w.to_track.take(), "to_track")?,
                },
                Verb::ExcludeArticle => MoveKind::ExcludeArticle {
                    article: need(w.article.take(), "article")?,
                },
                Verb::Demand => MoveKind::Demand {
                    condition: need(w.condition.take(), "condition")?,
                    description: need(w.description.take(), "description")?,
                    owed_by: w.owed_by.take().unwrap_or_default(),
                    precondition_of: w.precondition_of.take(),
                },
                Verb::Link => MoveKind::Link {
                    condition: need(w.condition.take(), "condition")?,
                    stage: need(w.stage.take(), "stage")?,
                },
                Verb::Unlink => MoveKind::Unlink {
                    condition: need(w.condition.take(), "condition")?,
                    stage: need(w.stage.take(), "stage")?,
                },
                Verb::Waive => MoveKind::Waive {
                    condition: need(w.condition.take(), "condition")?,
                },
                Verb::Contest => MoveKind::Contest {
                    condition: need(w.condition.take(), "condition")?,
                },
                Verb::Fulfil => MoveKind::Fulfil {
                    condition: need(w.condition.take(), "condition")?,
                },
                Verb::Offer => MoveKind::Offer {
                    concession: need(w.concession.take(), "concession")?,
                },
                Verb::Make => MoveKind::Make {
                    concession: need(w.concession.take(), "concession")?,
                },
                Verb::Retract => MoveKind::Retract {
                    concession: need(w.concession.take(), "concession")?,
                },
                Verb::Perform => MoveKind::Perform {
                    stage: need(w.stage.take(), "stage")?,
                },
                Verb::DeclareReady => MoveKind::DeclareReady {
                    stage: need(w.stage.take(), "stage")?,
                },
                Verb::Require => MoveKind::Require {
                    requirement: RequirementSpec::try_from(RequirementWire {
                        node: need(w.node.take(), "node")?,
                        requires: w.requires.take(),
                        requires_any_of: w.requires_any_of.take(),
                        requires_at_least: w.requires_at_least.take(),
                        requires_weight: w.requires_weight.take(),
                        basis: w.basis.take(),
                        by: w.by.take(),
                        citation: w.citation.take(),
                        group: w.group.take(),
                    })?,
                },
                Verb::Unrequire => MoveKind::Unrequire {
                    node: need(w.node.take(), "node")?,
                    required: need(w.requires.take(), "requires")?,
                },
                Verb::OpenTrack => MoveKind::OpenTrack {
                    track: TrackSpec {
                        id: need(w.track.take(), "track")?,
                        title: need(w.title.take(), "title")?,
                        principals: w.principals.take().unwrap_or_default(),
                        roles: w.roles.take().unwrap_or_default(),
                        stages: w.stages.take().unwrap_or_default(),
                        long_stop: w.long_stop.take(),
                    },
                },
                Verb::Record => MoveKind::Record {
                    event: need(w.event.take(), "event")?,
                    about: w.about.take(),
                },
                Verb::Reschedule => MoveKind::Reschedule {
                    entry: ScheduleSpec {
                        node: need(w.node.take(), "node")?,
                        due: w.due.take(),
                        takes: w.takes.take(),
                    },
                },
                Verb::Extend => MoveKind::Extend {
                    track: need(w.track.take(), "track")?,
                    until: w
                        .until
                        .take()
                        .ok_or_else(|| format!("`{name}` needs `until`"))?,
                },
            };
            let leftovers = [
                ("article", w.article.is_some()),
                ("position", w.position.is_some()),
                ("track", w.track.is_some()),
                ("to_track", w.to_track.is_some()),
                ("title", w.title.is_some()),
                ("condition", w.condition.is_some()),
                ("description", w.description.is_some()),
                ("owed_by", w.owed_by.is_some()),
                ("precondition_of", w.precondition_of.is_some()),
                ("concession", w.concession.is_some()),
                ("stage", w.stage.is_some()),
                ("node", w.node.is_some()),
                ("requires", w.requires.is_some()),
                ("requires_any_of", w.requires_any_of.is_some()),
                ("requires_at_least", w.requires_at_least.is_some()),
                ("requires_weight", w.requires_weight.is_some()),
                ("basis", w.basis.is_some()),
                ("by", w.by.is_some()),
                ("citation", w.citation.is_some()),
                ("group", w.group.is_some()),
                ("principals", w.principals.is_some()),
                ("roles", w.roles.is_some()),
                ("stages", w.stages.is_some()),
                ("long_stop", w.long_stop.is_some()),
                ("due", w.due.is_some()),
                ("takes", w.takes.is_some()),
                ("until", w.until.is_some()),
                ("event", w.event.is_some()),
                ("about", w.about.is_some()),
            ];
            if let Some((field, _)) = leftovers.iter().find(|(_, present)| *present) {
                return Err(format!("`{field}` is not a field of `{name}`"));
            }
            Ok(Move {
                actor: w.actor,
                kind,
                meta: MoveMeta {
                    date: w.date,
                    source: w.source,
                    note: w.note,
                },
            })
        }
    }
}
