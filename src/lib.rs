//! Model a negotiation — parties, agreement articles, concessions, conditions and
//! preconditions — as a requirement graph, and ask what people who follow negotiations ask:
//! **what blocks signature right now, who must act on each blocker, and how did the last move
//! change things.**
//!
//! ```
//! use negotiation::{ConditionSpec, ConditionStatus, Move, Negotiation, Role, StageKind, TrackSpec};
//!
//! // March 2025: the Armenia–Azerbaijan text is finalized, but Azerbaijan conditions its
//! // signature on an amendment of Armenia's Constitution and on the Minsk Group's dissolution.
//! let mut neg = Negotiation::builder()
//!     .party("armenia", "Armenia", Role::Principal)
//!     .party("azerbaijan", "Azerbaijan", Role::Principal)
//!     .party("osce", "OSCE", Role::Institution)
//!     .track(
//!         TrackSpec::new("peace", "Peace agreement", ["armenia", "azerbaijan"])
//!             .stage(StageKind::Finalized)
//!             .stage(StageKind::Signed),
//!     )
//!     .build()?;
//! neg.apply(&Move::perform("armenia", "peace.finalized"))?;
//! neg.apply(&Move::perform("azerbaijan", "peace.finalized"))?;
//! neg.apply(&Move::precondition("azerbaijan", "peace.signed", "amend_constitution",
//!     "Armenia amends its Constitution", ["armenia"]))?;
//! neg.apply(&Move::contest("armenia", "amend_constitution"))?;
//! neg.apply(&Move::precondition("azerbaijan", "peace.signed", "dissolve_minsk_group",
//!     "The OSCE Minsk Group is dissolved", ["osce"]))?;
//!
//! let signed = neg.node_id("peace.signed").unwrap();
//! assert!(neg.is_blocked(signed));
//! let why = neg.blockers(signed);
//! let frontier: Vec<&str> = why.frontier().into_iter().map(|n| neg.key(n)).collect();
//! assert_eq!(frontier, ["amend_constitution", "dissolve_minsk_group"]);
//! println!("{}", why.display(&neg));
//!
//! // What the OSCE's move changes:
//! let t = neg.apply(&Move::fulfil("osce", "dissolve_minsk_group"))?;
//! assert!(t.newly_unblocked.is_empty()); // the amendment still blocks Azerbaijan's signature
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Concepts
//!
//! - A **party** has a [`Role`]: principals negotiate and sign; mediators, observers,
//!   guarantors and institutions act in narrower ways ([`Role::can_perform`]).
//! - A **track** is one document or channel. It has **articles**, on which each principal
//!   holds a [`Position`], and ordered **stages** ([`StageKind`]: finalized, initialed,
//!   signed, ratified, in force, custom). Each performer's part of a stage is an **act**.
//! - A **condition** must become true; it is owed by parties and may be demanded by one. A
//!   **precondition** is a requirement a party attaches to its own act. A demand attached to
//!   no act is a **separate demand**: it blocks nothing until linked.
//! - A **concession** is a package of [`Effect`]s one party can offer, make or retract.
//! - **Requirements** are the graph's edges: `x → y` means x cannot become satisfied while y
//!   is unsatisfied. Structural ones link stages to acts, acts to the previous stage, and the
//!   first stage's acts to the track's articles; explicit ones and preconditions are declared
//!   or added by moves; any-of groups need one of their alternatives.
//! - A [`Move`] is one party's action. [`Negotiation::apply`] is atomic: a typed
//!   [`MoveError`] and no change, or a [`Transition`] listing what changed.
//! - [`Negotiation::blockers`] explains a blocked node as data ([`Explanation`]): a typed
//!   graph from the target to the **frontier**, grouped by who must act and who demands;
//!   [`DefaultReporter`] renders it as text.
//!
//! # API themes
//!
//! - Ids are strings at the edges (builder, moves, lookups) and copyable handles inside
//!   ([`PartyId`], [`TrackId`], [`NodeId`], [`TopicId`]). Stages are named
//!   `"{track}.{stage}"` and acts `"{track}.{stage}.{party}"`.
//! - Results are data, sorted by handle, the same on every run; text is a presentation
//!   ([`Reporter`]).
//! - Nothing panics on bad input: builders and moves return errors naming the offending id.
//! - Queries are cheap: [`Negotiation::is_blocked`] is O(1) (counters are kept up to date by
//!   each move), a move costs what it changes, an explanation is linear in what it explains.
//!   No traversal recurses.
//! - No petgraph type appears in the API except the explicit interop view
//!   [`Negotiation::as_petgraph`].

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod build;
mod explain;
mod graph;
mod history;
mod ids;
mod model;
mod moves;
mod report;
mod scenario;
mod state;
mod whatif;

pub use build::{
    ArticleSpec, BuildError, ConcessionSpec, ConditionSpec, Needs, NegotiationBuilder, PartySpec,
    RequirementSpec, StageSpec, TopicSpec, TrackSpec,
};
pub use explain::{Cause, DefaultReporter, Entry, Explanation, Grouping, Reason, Reporter, Step};
pub use history::{Goalpost, HistoryError, PartyTimeline, Timeline, TimelineEntry};
pub use ids::{NodeId, PartyId, TopicId, TrackId};
pub use model::{
    Act, Article, Concession, ConcessionStatus, Condition, ConditionStatus, Effect, NodeKind,
    NodeRef, Party, Position, Requirement, RequirementKind, Role, Stage, StageKind, Status, Topic,
    Track,
};
pub use moves::{
    ConcessionKind, Move, MoveError, MoveKind, MoveMeta, PositionChange, StatusChange, Transition,
};
pub use report::{report, stage_summary, BlockerSummary, StageSummary, TrackSummary};
pub use scenario::{Branch, Scenario, ScenarioError, SCHEMA_VERSION};
pub use state::Negotiation;
pub use whatif::{BlockersSide, Diff, KeyedPositionChange, KeyedStatusChange, TargetDiff, WhatIf};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
