//! Strategy: stability analysis by the Graph Model for Conflict Resolution (GMCR).
//!
//! Blockers and plans say what *can* happen; this module says what the parties *will want* to
//! do. A [`Conflict`] has decision makers, each controlling binary options; a state is a choice
//! of taken (`Y`) or not taken (`N`) for every option; infeasibility statements rule states
//! out; each decision maker ranks the feasible states, directly or by prioritized statements.
//! [`Conflict::analyse`] then decides, for every decision maker and state, the six classic
//! solution concepts ([`Concept`]): Nash, GMR, SMR, SEQ, SIM and SEQ+SIM, exactly by the
//! textbook definitions (Fang, Hipel & Kilgour, *Interactive Decision Making: The Graph Model
//! for Conflict Resolution*, 1993). An equilibrium is a state stable for every decision maker.
//!
//! ```
//! use negotiation::strategy::{Concept, ConflictBuilder};
//!
//! // Chicken: each driver may swerve; crashing is the worst outcome for both.
//! let mut b = ConflictBuilder::new();
//! b = b.option("swerve1").option("swerve2");
//! b = b.decision_maker("Driver 1", ["swerve1"]);
//! b = b.decision_maker("Driver 2", ["swerve2"]);
//! // Most important first: no crash, then "I do not swerve", then "the other swerves".
//! b = b.prioritize("Driver 1", ["swerve1 | swerve2", "!swerve1", "swerve2"]);
//! b = b.prioritize("Driver 2", ["swerve1 | swerve2", "!swerve2", "swerve1"]);
//! let conflict = b.build()?;
//! let analysis = conflict.analyse();
//! let eq = |c| -> Vec<String> {
//!     analysis.equilibria(c).into_iter().filter_map(|s| conflict.pattern(s)).collect()
//! };
//! assert_eq!(eq(Concept::Nash), ["YN", "NY"]);
//! assert_eq!(eq(Concept::Gmr), ["YN", "NY", "YY"]);
//! assert_eq!(eq(Concept::Seq), ["YN", "NY"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Definitions
//!
//! - R_i(s): the feasible states decision maker i reaches from s by changing a non-empty
//!   subset of its options, each in its permitted [`Direction`]. R_i⁺(s): those i prefers to s.
//! - R_H(s), for a set H of movers: the states at the end of *legal sequences* of one or more
//!   moves by members of H, in which nobody moves twice in a row. R_H⁺(s): the same with
//!   every move an improvement for its mover.
//! - Nash: R_i⁺(s) = ∅. GMR: every s1 ∈ R_i⁺(s) has an s2 ∈ R_{N−i}(s1) with s ≿_i s2. SMR: as
//!   GMR, and also s ≿_i s3 for every s3 ∈ R_i(s2). SEQ: as GMR with s2 ∈ R⁺_{N−i}(s1). SIM:
//!   every s1 ∈ R_i⁺(s) can be met by the others each staying or making one improvement from
//!   s, the combined state being feasible and ≾_i s. SEQ+SIM: stable by SEQ or by SIM.
//! - Coalitions ([`Conflict::analyse_coalitions`]) move with the union of their members'
//!   options; their improvements are strictly better for every member.
//!
//! # How it is computed
//!
//! No |S|×|S| matrix is built, and a mover's moves are not enumerated where a bound does the
//! work. R_i(s) ∪ {s} is a product (each of i's options takes the values its direction allows
//! from s, the other options fixed), so the maximum or minimum of a per-state value over it is
//! taken for every state at once by one sweep per option of i over a table indexed by code
//! (a "sum over subsets" transform), instead of 2^(options of i) moves per state.
//!
//! For one decision maker, Nash, GMR, SMR and SEQ are each such a maximum compared with its
//! payoff at s: an improvement s1 is undeterred exactly when the worst the others can force
//! from s1 (which counts s1, so is never above i's payoff there) is still better than s. Those
//! worst states are minima over reachable sets, computed for all states at once, per decision
//! maker, by one iterative Tarjan pass over the others' moves whose strongly connected
//! components share a minimum (by a sweep when one mover answers alone). The pass has one node
//! per state, not one per (state, last mover): two moves in a row by one mover are one move of
//! it, so the legal-sequence rule changes no minimum that can matter (the argument is in the
//! source, and the tests check the engine against an oracle that enumerates legal sequences).
//! Without improvement, a mover with three or more options answers through hub nodes, one per
//! (context, values of its irreversible options), instead of its 2^k − 1 moves per state; with
//! improvement, its moves are not enumerated from states where one of its members can gain
//! nothing.
//! SIM enumerates, from states with an improvement only, the others' combined improvements
//! until one sanctions. A coalition's improvement must be better for every member: its moves
//! are enumerated, only from states where every member can gain; its SMR is first settled by
//! a bound per member (a state the others can force from which that member's best escape is no
//! better than s), and only what the bound leaves is searched.
//!
//! Cost, with S feasible states, o options, o_i of them mover i's, and M_i the others' moves
//! per state (at most Σ_{j≠i} 2^(o_j); for GMR and SMR a mover with three or more options
//! counts about 2 + its irreversible options):
//!
//! | concept | time per mover i | notes |
//! |---|---|---|
//! | Nash | O(2^o × o_i) | a coalition: O(S × 2^(o_i)) |
//! | GMR, SMR | O(S × M_i + 2^o × o_i) | one Tarjan pass; with one other mover, a sweep: O(2^o × (o_i + o_j)); coalition SMR may search O(S × M_i) per state the bound leaves |
//! | SEQ | O(S × M_i + 2^o × o_i) | a Tarjan pass over the others' improvements |
//! | SIM | per state with an improvement: its improvements × the others' combined improvements, at worst | stops at the first sanction |
//!
//! Memory: the conflict's tables ([`Conflict::table_bytes`]), a few words per state per pass
//! and a reused sweep table of 4 × 2^o bytes. See `BENCHMARKS.md` for figures.
//!
//! # Explanations and dynamics
//!
//! [`Analysis::explain`] says why a state is unstable for a mover (an improvement the others
//! cannot deter, and what they can do instead); [`Analysis::deterrence`] why it is stable (for
//! each improvement, the others' answer that deters it). [`Analysis::status_quo`] follows
//! unilateral improvements, nobody moving twice in a row, from a state to every equilibrium it
//! can reach, by a shortest path.
//!
//! # Unknown preferences
//!
//! When a decision maker's order of some states is not known, [`ConflictBuilder::uncertain`]
//! marks a pair of states and [`ConflictBuilder::rank_interval`] a state whose rank lies only
//! in a range of tiers. [`Conflict::analyse_uncertain`] then says, per concept, decision maker
//! and state, whether the state is stable under every admissible completion of the
//! preferences (certain), under some (possible) or under none (impossible), and the same of
//! equilibria: exactly when the completions fit a budget, as sound bounds otherwise
//! ([`UncertainAnalysis`]).
//!
//! # Misperceptions: hypergames
//!
//! A decision maker may not perceive some states ([`ConflictBuilder::misperceive`], as GMCR+
//! files record), be unaware of an option ([`ConflictBuilder::unaware`]) or misperceive
//! another's preferences ([`ConflictBuilder::perceive_rank`]). [`Conflict::hypergame`] forms
//! each decision maker's view, the conflict without what it does not perceive and with the
//! preferences it believes the others have, analyses it, and reports stability as each decision maker sees it, the
//! hypergame equilibria (states all perceive that each finds stable in its own view) and the
//! equilibria common to every view ([`Hypergame`]).

//! # Inverse GMCR
//!
//! [`Conflict::inverse`] turns the question around: given a state and a concept, the fewest
//! changes to the decision makers' preferences under which that state is an equilibrium, who
//! must change and how ("Azerbaijan must come to prefer 3 at least as much as 2"), found by a
//! branch and bound with a budget ([`InverseOptions`]) and verified by [`Conflict::analyse`].
//! The [`Inverse`] says whether the answer is exact or the budget stopped the search.
//!
//! # Files and negotiations
//!
//! GMCR+ `.gmcr` files are read and written by [`Conflict::from_gmcr`] and
//! [`Conflict::to_gmcr`] (feature `serde`). As in GMCR+, options are identified by position and
//! their names are labels that may repeat; text names an option by its label, by
//! `Decision maker.label` (`"IJC.Full"`) or by `#k` ([`Conflict::qualified_name`]). States are
//! numbered as GMCR+ numbers them, after grouping the options by decision maker. An import
//! costs O(2^options × infeasibility terms) to enumerate the S feasible states and at most
//! O(S × statement terms) per prioritized decision maker (statements refine the classes of
//! states not yet told apart, and stop when every state is; a repeated statement is skipped);
//! its memory is
//! [`Conflict::table_bytes`] (4 × 2^options + (20 + 4 × decision makers) × S bytes), whatever
//! the number of statements, and [`GmcrLimits`] bounds it. [`Bridge`] builds a conflict from a
//! [`Negotiation`](crate::Negotiation): pending acts, conditions and concessions become options
//! of the parties that control them, and the requirement graph supplies feasibility.

mod bridge;
mod conflict;
mod explain;
#[cfg(feature = "serde")]
mod gmcr;
mod hypergame;
mod inverse;
mod report;
mod stability;
mod statement;
mod uncertain;

pub use crate::picture::MAX_PICTURE_STATES;
pub use bridge::{Bridge, BridgeError};
pub use conflict::{
    Conflict, ConflictBuilder, ConflictError, DecisionMaker, Direction, DmId, MoverId, OptionId,
    ParseDirectionError, Preferences, StateId, StateRef, StatementSpec, MAX_OPTIONS,
};
pub use explain::{
    Deterrence, Instability, Path, Response, Sanction, StatusQuo, Step, Unsanctioned,
};
#[cfg(feature = "serde")]
pub use gmcr::{GmcrError, GmcrLimits};
pub use hypergame::{Hypergame, HypergameError};
pub use inverse::{
    Answer, Change, Inverse, InverseError, InverseOptions, NoAnswer, Placement, Reason,
};
pub use report::ReportOptions;
pub use stability::{Analysis, AnalysisSummary, Concept, ConceptSummary, Mover};
pub use statement::{Literal, Statement};
pub use uncertain::{Bounds, Certainty, UncertainAnalysis, DEFAULT_COMPLETION_BUDGET};
