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
//! neg.apply(&Move::precondition("azerbaijan", "amend_constitution",
//!     "Armenia amends its Constitution", ["armenia"], "peace.signed"))?;
//! neg.apply(&Move::contest("armenia", "amend_constitution"))?;
//! neg.apply(&Move::precondition("azerbaijan", "dissolve_minsk_group",
//!     "The OSCE Minsk Group is dissolved", ["osce"], "peace.signed"))?;
//!
//! assert!(neg.is_blocked("peace.signed")?);
//! let why = neg.blockers("peace.signed")?;
//! let frontier: Vec<&str> = why.frontier().into_iter().filter_map(|n| neg.key(n)).collect();
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
//! - A **party** has a [`Role`]: principals negotiate and sign; signatories sign without
//!   holding positions; mediators, witnesses, observers, guarantors and institutions act in
//!   narrower ways ([`Role::can_perform`]). A role can differ per track: listing a party
//!   among a track's principals makes it a principal there, and [`TrackSpec::roles`] gives it
//!   another role there ([`Negotiation::role_on`]).
//! - A **track** is one document or channel. It has **articles**, on which each principal
//!   holds a [`Position`], and ordered **stages** ([`StageKind`]: finalized, initialed,
//!   signed, ratified, in force, custom). Each performer's part of a stage is an **act**.
//! - A **condition** must become true; it is owed by parties — any one of them, or jointly
//!   ([`Obligation`]: each does its part) — and may be demanded by one. A **precondition** is
//!   a requirement a party attaches to its own act (or to a condition it owes). A demand
//!   attached to nothing is a **separate demand**: it blocks nothing until linked.
//! - A **concession** is a package of [`Effect`]s one party can offer, make or retract.
//! - **Requirements** are the graph's edges: `x → y` means x cannot become satisfied while y
//!   is unsatisfied. Each has a [`Basis`]: a party's **precondition** (that party demands
//!   it), a **procedure** (a rule of law or of the process, with an optional citation;
//!   nobody demands it), or **structure** (stages to acts, acts to the previous stage, the
//!   first stage's acts to the track's articles). Requirement groups need one of their
//!   alternatives (any-of), at least k of them, or a weight of at least W ([`Threshold`]; a
//!   double majority is two groups). Cycles may be declared: they are deadlocks, reported.
//! - A [`Move`] is one party's action. [`Negotiation::apply`] is atomic: a typed
//!   [`MoveError`] and no change, or a [`Transition`] listing what changed.
//! - [`Negotiation::blockers`] explains a blocked node as data ([`Explanation`]): every
//!   **outstanding requirement** with its basis, a typed graph from each down to the
//!   **frontier** (what can be acted on now), who demands each node through the chain
//!   ("A, through `reform`"), every **deadlock** on the way, and the frontier grouped by who
//!   must act and who demands; [`DefaultReporter`] renders it as text.
//! - Moves also grow the structure: `require` adds a precondition or a procedure between
//!   existing nodes (`unrequire` drops the actor's own precondition), `open_track` opens a
//!   document midway, and `record` notes an event (a lost vote) that changes no status.
//!
//! # History, what-if and reports
//!
//! A negotiation records every move it applied ([`Negotiation::history`]); any earlier state
//! can be rebuilt ([`Negotiation::state_at`]); [`Negotiation::timeline`] lists, per party,
//! the concessions made and the demands added, flagging those attached to a stage after its
//! text was finalized or after a counterpart declared itself ready (moving goalposts).
//! [`Negotiation::what_if`] applies hypothetical moves to a copy and [`Negotiation::diff`]
//! compares two negotiations. [`report`] writes the analyst's report on a [`Scenario`];
//! [`stage_summary`] gives, per stage, what blocks it, as data.
//!
//! # Time
//!
//! Dates are written as analysts write them: a year, a month or a day ([`Date`], ISO 8601,
//! with its [`Precision`]). A move may carry one ([`Move::on`]); the history is kept in date
//! order (a move dated certainly before a recorded one is refused, [`MoveError::OutOfOrder`]),
//! each node remembers the date it was satisfied ([`Negotiation::satisfied_since`]), and
//! [`Negotiation::state_on`] rebuilds the negotiation on a date. A model's schedule gives
//! conditions, acts and stages a due date — by a date, or within a [`Span`] after another
//! node is satisfied ([`DueSpec`]) — and conditions and acts a duration ([`Takes`]: at least,
//! and at most); a track may have a long-stop date ([`TrackSpec::long_stop`]), reported when
//! missed, enforced only if declared to lapse. Moves change the calendar too: `reschedule`
//! ([`Move::reschedule`]) and `extend` a long-stop ([`Move::extend`]). [`Negotiation::deadlines`] says what is overdue
//! on a date (how long, who must act), what comes due within a window, which deadlines are
//! not yet running, and where each long-stop stands; [`Negotiation::earliest`] gives the
//! earliest and latest date a node can be satisfied, with its critical path, or names the
//! deadlock that makes it never. Deadlines never block: they are information.
//!
//! ```
//! use negotiation::{ConditionSpec, Date, DueSpec, Move, Negotiation, Outlook, Role, Span,
//!     StageKind, Takes, TrackSpec};
//!
//! let d = |s: &str| s.parse::<Date>().unwrap();
//! let mut neg = Negotiation::builder()
//!     .party("buyer", "Buyer", Role::Principal)
//!     .party("ftc", "FTC", Role::Institution)
//!     .track(TrackSpec::new("deal", "The deal", ["buyer"])
//!         .stage(StageKind::Signed)
//!         .stage(StageKind::Custom("closing".into()))
//!         .long_stop(StageKind::Custom("closing".into()), d("2026-12-31"), false))
//!     .condition(ConditionSpec::new("filing", "Merger filed").owed_by(["buyer"]))
//!     .condition(ConditionSpec::new("clearance", "Merger cleared").owed_by(["ftc"]))
//!     .requires("clearance", "filing")
//!     .precondition("buyer", "clearance", "deal.closing")
//!     .due("filing", DueSpec::Within { span: Span::days(10), after: "deal.signed".into() })
//!     .takes("clearance", Takes::between(Span::days(30), Span::days(90)))
//!     .build()?;
//! neg.apply(&Move::perform("buyer", "deal.signed").on(d("2026-02-02")))?;
//! let on = neg.deadlines(d("2026-02-20"), Span::days(30));
//! assert_eq!((neg.key(on.overdue[0].node), on.overdue[0].days), (Some("filing"), 8));
//! assert_eq!(on.long_stops[0].outlook, Outlook::Clear); // by 2026-05-21 at the latest
//! assert_eq!(neg.earliest("deal.closing", d("2026-02-20"))?.earliest, Some(d("2026-03-22")));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Analysis
//!
//! [`Negotiation::plan`] gives an ordered sequence of moves, each by a party allowed to make
//! it, that reaches a target (fewest moves, then lowest [`Costs`]), or says why none exists
//! ([`Obstacle`]: a [`Deadlock`], or a node nobody can satisfy).
//! [`Negotiation::cheapest_unblocking`] gives the k cheapest minimal sets of moves that would
//! unblock a target, with the burden per party; with [`Options::allow_waivers`] demanders
//! waiving or unlinking their demands count as moves. Both search exactly under a step
//! budget and say whether the result is exact; the budget bounds the search, not the region
//! below the target it searches, and each result reports both as an [`Effort`]. [`Negotiation::deadlocks`] lists requirement
//! cycles among unsatisfied nodes with the parties and the edges whose dropping breaks them;
//! [`Negotiation::landmarks`] the nodes every plan must pass; [`Negotiation::leverage`] who
//! holds up whom. [`Negotiation::hypothetically`] tries moves and undoes them without copying.
//!
//! ```
//! use negotiation::{ConditionSpec, Move, Negotiation, Options, Role, StageKind, TrackSpec};
//!
//! let neg = Negotiation::builder()
//!     .party("a", "A", Role::Principal)
//!     .party("bank", "Bank", Role::Institution)
//!     .track(TrackSpec::new("deal", "The deal", ["a"]).stage(StageKind::Signed))
//!     .condition(ConditionSpec::new("loan", "A loan").owed_by(["bank"]))
//!     .condition(ConditionSpec::new("bonds", "A bond issue").owed_by(["a"]))
//!     .requires_any_of("deal.signed.a", ["loan", "bonds"])
//!     .build()?;
//! let plan = neg.plan("deal.signed", &Options::default())?;
//! assert_eq!(plan.moves.len(), 2); // one financing source, then the signature
//! let sets = neg.cheapest_unblocking("deal.signed", 3, &Options::default())?;
//! assert_eq!(sets.sets.len(), 2); // the loan, or the bonds
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Strategy
//!
//! Blockers and plans say what *can* happen; [`strategy`] says what the parties *will want* to
//! do, by the Graph Model for Conflict Resolution: options controlled by decision makers,
//! preferences over the resulting states, and the Nash, GMR, SMR, SEQ, SIM and SEQ+SIM
//! stability of every state for every decision maker, with explanations, status-quo paths,
//! coalitions and GMCR+ files. [`strategy::Bridge`] turns a negotiation's pending acts,
//! conditions and concessions into options whose feasibility comes from the requirement graph.
//!
//! # Pictures
//!
//! [`Negotiation::to_dot`] and [`Negotiation::to_mermaid`] draw the requirement graph (Graphviz
//! DOT, Mermaid flowchart): nodes filled by status, one cluster per track, edges labelled by
//! kind and basis. [`Explanation::to_dot`] and [`Explanation::to_mermaid`] draw only what
//! stands in the way of one target, with the frontier and the deadlocks highlighted, and
//! [`strategy::Analysis::to_dot`] a conflict's state graph with each decision maker's
//! improvements and the equilibria under a concept. Render DOT with `dot -Tsvg`; or, with the
//! `svg` feature, get SVG without Graphviz from the `to_svg` methods (laid out in pure Rust by
//! `layout-rs`: no clusters, at most `MAX_SVG_ELEMENTS` nodes and edges).
//!
//! # Scenario files
//!
//! With the `serde` feature (on by default) a [`Scenario`] reads and writes JSON: the
//! initial model, the move history, and the analyst's questions. A complete small file:
//!
//! ```
//! # #[cfg(feature = "serde")] {
//! use negotiation::Scenario;
//!
//! let json = r#"{
//!   "version": 3,
//!   "title": "A two-party deal",
//!   "focus": "deal.signed",
//!   "model": {
//!     "parties": [
//!       { "id": "a", "name": "Party A", "role": "principal" },
//!       { "id": "b", "name": "Party B", "role": "principal" },
//!       { "id": "court", "name": "The court", "role": "institution" },
//!       { "id": "un", "name": "United Nations", "role": "mediator" }
//!     ],
//!     "tracks": [
//!       { "id": "deal", "title": "The deal", "principals": ["a", "b"],
//!         "roles": { "un": "witness" },
//!         "stages": [{ "kind": "finalized" }, { "kind": "signed", "performers": ["a", "b", "un"] },
//!                    { "kind": { "custom": "ratified" }, "performers": ["a", "court"] }] }
//!     ],
//!     "topics": [{ "id": "water", "title": "Water rights" }],
//!     "articles": [
//!       { "id": "price", "track": "deal", "title": "Price",
//!         "positions": { "a": "accepts", "b": "rejects" }, "topics": [] }
//!     ],
//!     "conditions": [
//!       { "id": "ruling", "description": "The court rules", "owed_by": ["court"],
//!         "demanded_by": "b", "status": "unmet" },
//!       { "id": "vote", "description": "A's parliament approves", "owed_by": ["a"] },
//!       { "id": "exchange", "description": "Instruments exchanged", "owed_by": ["a", "b"],
//!         "obligation": "joint" },
//!       { "id": "x", "description": "A signs after B", "owed_by": ["a"], "demanded_by": "b" },
//!       { "id": "y", "description": "B signs after A", "owed_by": ["b"], "demanded_by": "a" }
//!     ],
//!     "concessions": [
//!       { "id": "discount", "by": "a", "description": "A lowers the price",
//!         "effects": [{ "waive": { "condition": "ruling" } }], "status": "offered" }
//!     ],
//!     "requirements": [
//!       { "node": "deal.signed.b", "requires": "ruling" },
//!       { "node": "deal.signed.a", "requires_any_of": ["vote", "ruling"] },
//!       { "node": "deal.signed", "requires": "vote", "basis": "procedure",
//!         "citation": "Constitution, art. 53" },
//!       { "node": "deal.ratified", "group": "majority",
//!         "requires_weight": { "at_least": 60, "of": { "vote": 55, "exchange": 45 } } },
//!       { "node": "deal.ratified", "requires_at_least": { "count": 1, "of": ["x", "y"] } },
//!       { "node": "x", "requires": "y", "basis": "precondition", "by": "a" },
//!       { "node": "y", "requires": "x", "basis": "precondition", "by": "b" }
//!     ],
//!     "schedule": [
//!       { "node": "ruling", "due": "2026-06", "takes": { "min": "2 months", "max": "P6M" } },
//!       { "node": "exchange", "due": { "within": "60 days", "after": "deal.signed" } }
//!     ]
//!   },
//!   "as_of": "2026-03-01",
//!   "moves": [
//!     { "actor": "b", "move": "accept", "article": "price", "date": "2026-01-05",
//!       "source": "Joint statement", "note": "B yields on the price" },
//!     { "actor": "a", "move": "perform", "stage": "deal.finalized" },
//!     { "actor": "b", "move": "perform", "stage": "deal.finalized" },
//!     { "actor": "a", "move": "record", "event": "A's parliament rejects the bill, 48-52",
//!       "about": "vote", "date": "2026-02-01" },
//!     { "actor": "b", "move": "require", "node": "ruling", "requires": "vote",
//!       "basis": "procedure", "citation": "Court rules, r. 12" },
//!     { "actor": "a", "move": "open_track", "track": "memo", "title": "Side memorandum",
//!       "principals": ["a", "b"], "stages": [{ "kind": "signed" }] }
//!   ],
//!   "what_if": [
//!     { "name": "The court rules",
//!       "moves": [{ "actor": "court", "move": "fulfil", "condition": "ruling" }] }
//!   ]
//! }"#;
//! let (scenario, neg) = Scenario::from_json(json)?;
//! assert!(neg.is_blocked("deal.signed")?);
//! assert_eq!(neg.deadlocks().len(), 1); // x and y wait on each other
//! assert_eq!(Scenario::from_json(&Scenario::of(&neg).to_json())?.1, neg);
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! - `version` (required): the schema version, [`SCHEMA_VERSION`] (3). Versions 1 and 2 load
//!   too: each version only adds fields, except that (2) a requirement declared on a whole
//!   stage, which version 1 counted as each performer's precondition, now reads as a
//!   procedure (say `"basis": "precondition", "by": …` on the act to keep a party's demand),
//!   and (3) dates must be dates (`2024`, `2025-03`, `2025-03-13`) in date order. Other
//!   versions are refused.
//! - `title`, `description`, `focus` (a stage id the report centres on), `what_if` (named
//!   branches of moves applied to the state after the history), `as_of` (the date reports
//!   count from; by default the latest date in the moves), `window` (how far ahead reports
//!   list what comes due, a span; 30 days by default): optional.
//! - `model`: the [`NegotiationBuilder`]'s fields. Roles are `principal`, `signatory`,
//!   `mediator`, `witness`, `observer`, `guarantor`, `institution`; a track's `roles` gives
//!   parties another role on that track. Stage kinds are `finalized`, `initialed`, `signed`,
//!   `ratified`, `in_force`, or any other name for a custom stage (`{"custom": "signed"}` for
//!   a custom stage named like a built-in one); a stage may list `performers` (default: the
//!   track's principals) and `performed_by`. Positions are `accepts`, `rejects`,
//!   `not_stated`; condition statuses `unmet`, `met`, `waived`, `contested`, obligations
//!   `any` (the default: one obligor's fulfilment meets it) or `joint` (each obligor does its
//!   part); concession statuses `possible`, `offered`, `retracted`. Effects are
//!   `{"accept": {"article"}}`, `{"fulfil": {"condition"}}`, `{"waive": {"condition"}}`,
//!   `{"unlink": {"condition", "stage"}}`, `{"move_article": {"article", "to_track"}}`.
//! - A requirement has a `node` and one of `requires` (one id), `requires_any_of` (a list),
//!   `requires_at_least` (`{"count", "of": [ids]}`) or `requires_weight` (`{"at_least",
//!   "of": {id: weight}}`); a group may be given an id with `group`. Its basis is by default
//!   the performer's precondition on an act (`"deal.signed.b"`) and a procedure anywhere else
//!   (a requirement on a stage applies to every act of it); `"basis": "precondition", "by"`
//!   names the party (who must act on the node), `"basis": "procedure"` with an optional
//!   `citation` marks a rule. Requirement cycles are allowed (deadlocks); a stage requiring a
//!   later stage of its own track is refused.
//! - `schedule` entries have a `node` and a `due` date (a date: due by its end; or
//!   `{"within": span, "after": id}`) on a condition, act or stage, and/or a duration
//!   `takes: {"min": span, "max": span}` (`max` optional) on a condition or act. Spans are
//!   `90 days`, `2 weeks`, `3 months`, `1 year` or ISO `P90D`. A track's `long_stop` is
//!   `{"stage": kind, "date", "lapses": bool}`.
//! - `moves`: flat objects with `actor`, `move`, the move's fields, and optional `date` (a
//!   [`Date`]; not certainly before an earlier move's), `source`, `note`. `move` is one of `accept`, `reject` (`article`), `set_position`
//!   (`article`, `position`), `propose_article` (`article`, `track`, `title`),
//!   `amend_article` (`article`, `title`), `move_article` (`article`, `to_track`),
//!   `exclude_article` (`article`), `demand` (`condition`, `description`, `owed_by`, optional
//!   `precondition_of`: a stage), `link`, `unlink` (`condition`, `stage`), `waive`,
//!   `contest`, `fulfil` (`condition`), `offer`, `make`, `retract` (`concession`),
//!   `perform`, `declare_ready` (`stage`), `require` (`node` and a requirement's fields),
//!   `unrequire` (`node`, `requires`: the actor drops one of its own preconditions),
//!   `open_track` (`track`, `title`, `principals`, optional `roles`, `stages`, `long_stop`), `record`
//!   (`event`, optional `about`: a node or track id), `reschedule` (`node`, and `due` and/or
//!   `takes` as in a schedule entry), `extend` (`track`, `until`: its new long-stop date).
//!
//! Unknown fields are refused. Every error names the path to the offending entry:
//! `moves[12].actor: unknown party `azerbaijn``, `model.conditions[3].owed_by[0]: unknown
//! party `x``, `what_if[0].moves[1].condition: unknown condition `y``. A negotiation itself
//! serializes as its scenario and deserializes by replaying it.
//!
//! # JSON answers
//!
//! With the `serde` feature, the answers serialize to JSON and read back equal: explanations
//! ([`Explanation`], [`GroupProgress`]), transitions ([`Transition`]), plans and analyses
//! ([`Plan`], [`Unblocking`], [`Deadlock`], [`Obstacle`], [`Landmarks`], [`Leverage`]),
//! timelines ([`Timeline`]), diffs ([`Diff`]), deadlines and earliest dates ([`Deadlines`],
//! [`Earliest`]) and the strategy results ([`strategy::Instability`],
//! [`strategy::Sanction`], [`strategy::StatusQuo`], [`strategy::AnalysisSummary`], …);
//! [`WhatIf`] serializes only (its failure is a message). The structure:
//!
//! - Ids ([`NodeId`], [`PartyId`], [`TrackId`], [`TopicId`], and the strategy's
//!   [`StateId`](strategy::StateId), [`DmId`](strategy::DmId),
//!   [`OptionId`](strategy::OptionId), [`MoverId`](strategy::MoverId)) are plain numbers: the
//!   dense indices of the negotiation (or conflict, or analysis) that produced the answer.
//!   [`Negotiation::key`] names a node, [`Negotiation::party`] a party,
//!   [`Conflict::pattern`](strategy::Conflict::pattern) a state. They mean nothing for
//!   another negotiation; a node handle read back from JSON carries no stamp, so the
//!   negotiation it is given to can check only that it is in range. A state id counts from 0, where texts and GMCR+ number states from
//!   1 ([`StateId::number`](strategy::StateId::number)): state 1 is id 0.
//! - Field names are the Rust types' (`status_changes`, `newly_unblocked`, `critical_path`);
//!   an explanation lists its `entries`, each with its `node`, `reason`, `causes` (`{"step",
//!   "entry"}`, `entry` an index into `entries`) and `demands`, then its `outstanding`
//!   requirements and `deadlocks`.
//! - A strategy [`Analysis`](strategy::Analysis) borrows its conflict: its
//!   [`summary`](strategy::Analysis::summary) is the owned answer (state patterns, movers, and
//!   per concept the equilibria and each mover's stable states). A
//!   [`Statement`](strategy::Statement) is its list of conjunctions of literals
//!   (`[[{"option": 0, "taken": true}]]`).
//! - Enums without data are snake_case strings (`"unmet"`, `"previous_stage"`, `"at_risk"`,
//!   `"seq_sim"`); enums with data are objects with one snake_case key
//!   (`{"precondition": 0}`, `{"act": {"party": 1}}`, `{"passed": {"days": 12}}`). Dates and
//!   spans are strings as in scenario files (`"2025-03"`, `"90 days"`), moves are written as in
//!   scenario files, pairs are two-element arrays (`[party, cost]`), and a missing optional
//!   value is `null`.
//! - The structure is versioned by [`ANSWER_VERSION`] (1): it is bumped when a field is
//!   renamed or removed or a representation changes; a new field or variant does not bump it.
//!
//! ```
//! # #[cfg(feature = "serde")] {
//! use negotiation::{Move, Negotiation, Role, StageKind, TrackSpec};
//!
//! let mut neg = Negotiation::builder()
//!     .party("a", "A", Role::Principal)
//!     .track(TrackSpec::new("deal", "The deal", ["a"]).stage(StageKind::Signed))
//!     .build()?;
//! let t = neg.apply(&Move::perform("a", "deal.signed"))?;
//! let json = serde_json::to_value(&t)?;
//! let reached = json["reached"][0].as_u64().unwrap() as usize;
//! assert_eq!(neg.node_ids().nth(reached).and_then(|n| neg.key(n)), Some("deal.signed"));
//! assert_eq!(json["status_changes"][0]["to"], "reached");
//! assert_eq!(serde_json::from_value::<negotiation::Transition>(json)?, t);
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # API themes
//!
//! - Ids are strings at the edges (builder, moves, lookups) and copyable handles inside
//!   ([`PartyId`], [`TrackId`], [`NodeId`], [`TopicId`]). Stages are named
//!   `"{track}.{stage}"` and acts `"{track}.{stage}.{party}"`. A question about one node
//!   takes either ([`Target`]): `neg.blockers("peace.signed")` or `neg.blockers(signed)`.
//! - A handle belongs to the negotiation that issued it (and its copies and earlier states):
//!   given to another, a lookup gives `None`, a question a [`TargetError`], a rendering one
//!   line saying so — never the answer for whatever node has the same index.
//! - [`Negotiation::parties`], [`tracks`](Negotiation::tracks),
//!   [`articles`](Negotiation::articles), [`conditions`](Negotiation::conditions),
//!   [`concessions`](Negotiation::concessions), [`stages`](Negotiation::stages) and
//!   [`acts`](Negotiation::acts) iterate typed views ([`PartyRef`], [`ArticleRef`], …) in id
//!   order.
//! - Results are data, sorted by handle, the same on every run; text is a presentation
//!   ([`Reporter`]).
//! - Nothing panics on bad input: builders, moves and questions return errors naming the
//!   offending id (or handle).
//! - Queries are cheap: [`Negotiation::is_blocked`] is O(1) (counters are kept up to date by
//!   each move), a move costs what it changes, an explanation is linear in what it explains.
//!   No traversal recurses.
//! - No petgraph type appears in the API except the explicit interop view
//!   `Negotiation::as_petgraph`, compiled only with the feature `petgraph`.
//!
//! # Guarantees
//!
//! Each is checked by property tests on generated models and move sequences, and by the
//! fuzz targets in the repository's `fuzz/` directory.
//!
//! - **I1 consistency.** After any sequence of successful moves no satisfied node has an
//!   unsatisfied requirement, except acts of irreversible stages (signed and later), which
//!   stay performed: a move that would undo a requirement of an irreversible stage is
//!   refused, and one that undoes a requirement of a reversible stage (finalized, initialed)
//!   reopens it, as its [`Transition`] says.
//! - **I2 blockers and moves agree.** [`Negotiation::blockers`] of a node is empty exactly
//!   when the move that satisfies the node succeeds.
//! - **I3 atomicity.** A refused move leaves the negotiation equal (`==`) to what it was.
//! - **I4 replay.** Replaying the recorded history on the initial model gives an equal
//!   negotiation ([`Negotiation::state_at`]).
//! - **I5 round trip.** Saving and loading a negotiation (feature `serde`) gives an equal
//!   value, for every model the builder accepts and every history.
//! - **I6 monotonicity.** A move that only satisfies nodes adds no blocker to any target.
//! - **I7 determinism.** Every query returns the same result in the same order on every run.
//! - **I8 no deep recursion.** A chain of 10⁶ requirements is built, checked, queried and
//!   saved without overflowing the stack: no traversal recurses.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
// A pure query whose answer is dropped is a bug: every such public function is #[must_use].
#![warn(clippy::must_use_candidate)]

mod analysis;
mod build;
mod deadlock;
mod explain;
mod foreign;
#[cfg(feature = "generate")]
pub mod generate;
mod graph;
mod history;
#[cfg(feature = "svg")]
mod html;
mod ids;
mod key_index;
mod lookup;
mod model;
mod moves;
mod picture;
mod report;
mod scenario;
mod schedule;
#[cfg(feature = "serde")]
mod serde_maps;
mod state;
pub mod strategy;
#[cfg(feature = "serde")]
mod strict;
mod time;
mod util;
mod views;
mod whatif;
#[cfg(feature = "serde")]
mod wire;

pub use analysis::{
    Costs, Effort, Landmarks, Leverage, Obstacle, Options, PartyLeverage, Plan, PlanError,
    PlannedMove, Unblocking, UnblockingSet,
};
pub use build::{
    ArticleSpec, BasisSpec, BuildError, ConcessionSpec, ConditionSpec, Needs, NegotiationBuilder,
    PartySpec, RequirementSpec, StageSpec, TopicSpec, TrackSpec,
};
pub use deadlock::{CycleEdge, Deadlock};
pub use explain::{
    Cause, DefaultReporter, Demand, Entry, Explanation, GroupProgress, Grouping, Outstanding,
    Reason, Reporter, Step,
};
pub use history::{
    EventEntry, Goalpost, History, HistoryError, HistoryIter, PartyTimeline, Timeline,
    TimelineEntry,
};
#[cfg(feature = "svg")]
pub use html::report_html;
pub use ids::{NodeId, PartyId, Target, TargetError, TopicId, TrackId};
pub use model::{
    Act, Article, Basis, Concession, ConcessionStatus, Condition, ConditionStatus, Effect, Group,
    LongStop, NodeKind, NodeRef, Obligation, Party, Position, Requirement, RequirementEdge,
    RequirementKind, Role, Stage, StageKind, Status, Threshold, Topic, Track,
};
pub use moves::{
    ConcessionKind, Move, MoveError, MoveKind, MoveMeta, PartDone, PositionChange, StatusChange,
    Transition,
};
#[cfg(feature = "svg")]
pub use picture::{PictureError, MAX_SVG_ELEMENTS};
pub use report::{
    report, stage_summary, stage_summary_on, BasisSummary, DeadlockSummary, DemandSummary,
    DueSummary, EarliestSummary, EdgeSummary, LongStopSummary, NodeSummary, NotRunningSummary,
    OutstandingSummary, PathSummary, StageSummary, Summary, ThresholdSummary, TrackSummary,
    ANSWER_VERSION, SUMMARY_VERSION,
};
pub use scenario::{Branch, JsonError, Scenario, ScenarioError, SCHEMA_VERSION};
pub use schedule::{
    Deadlines, Due, DueDate, DueItem, DueSpec, Earliest, LongStopSpec, LongStopStatus, NotRunning,
    Outlook, PathStep, ScheduleSpec, Takes,
};
pub use state::Negotiation;
pub use time::{Date, DateError, Precision, Span, Unit};
pub use views::{
    ActRef, ArticleRef, ConcessionRef, ConditionRef, NodeView, PartyRef, StageRef, TopicRef,
    TrackRef,
};
pub use whatif::{BlockersSide, Diff, KeyedPositionChange, KeyedStatusChange, TargetDiff, WhatIf};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
