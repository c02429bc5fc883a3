//! The JSON wire format of moves and requirements (feature `serde`): flat `MoveWire` and
//! `RequirementWire`, their conversions, and `Serialize`/`Deserialize` for `Move`,
//! `RequirementSpec` and `DueSpec` through them.

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::build::{BasisSpec, Needs, RequirementSpec, StageSpec, TrackSpec};
use crate::model::{Position, Role};
use crate::moves::{Move, MoveKind, MoveMeta};
use crate::schedule::{DueSpec, LongStopSpec, ScheduleSpec, Takes};
use crate::serde_maps::{optional_pairs, pairs};
use crate::time::{Date, Span};

impl Serialize for Move {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        MoveWire::from(self.clone()).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Move {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Move::try_from(MoveWire::deserialize(deserializer)?).map_err(de::Error::custom)
    }
}

impl Serialize for RequirementSpec {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        RequirementWire::from(self.clone()).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for RequirementSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        RequirementSpec::try_from(RequirementWire::deserialize(deserializer)?)
            .map_err(de::Error::custom)
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
            Needs::AtLeast { count, of } => w.requires_at_least = Some(AtLeastWire { count, of }),
            Needs::Weight { at_least, of } => w.requires_weight = Some(WeightWire { at_least, of }),
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
                (w.requires_at_least, w.requires_weight) = (r.requires_at_least, r.requires_weight);
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
