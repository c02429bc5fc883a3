//! First-level hypergames: the conflict as each decision maker perceives it.

use std::fmt;

use super::conflict::{foreign_note, Conflict, DmId, MoverId, Stamp, StateId};
use super::stability::Concept;

/// Why a hypergame could not be formed.
///
/// Marked `#[non_exhaustive]`: new variants are not breaking changes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HypergameError {
    /// A decision maker's misperceptions cover every feasible state.
    #[error("decision maker `{0}` perceives no feasible state: its misperceptions cover them all")]
    NothingPerceived(String),
    /// The views' tables would take more than the limit: each of the D views keeps its own
    /// code → state table and per-state tables, up to [`Conflict::table_bytes`] of the
    /// conflict each, and the limit on them all is 1 GiB (the `.gmcr` import's default table
    /// limit).
    #[error(
        "the {decision_makers} decision makers' views would need {bytes} bytes of tables \
         ({decision_makers} × Conflict::table_bytes), over the {limit}-byte limit"
    )]
    TooLarge {
        /// The number of views: one per decision maker.
        decision_makers: usize,
        /// The bytes the views' tables would take at most.
        bytes: u64,
        /// The limit.
        limit: u64,
    },
}

/// The most bytes the views' tables may take together (see [`HypergameError::TooLarge`]).
const MAX_VIEW_TABLE_BYTES: u64 = 1 << 30;

/// The conflict as each decision maker perceives it, and stability in those views, from
/// [`Conflict::hypergame`].
///
/// # Semantics
///
/// A decision maker's **view** is the conflict without the states it misperceives
/// ([`ConflictBuilder::misperceive`]; an option it is unaware of,
/// [`ConflictBuilder::unaware`], stays not taken): its misperception statements become
/// infeasibility statements; each other decision maker has the preferences the viewer
/// believes it has ([`ConflictBuilder::perceive_rank`],
/// [`ConflictBuilder::perceive_prioritized`]), or its stated ones without a belief; and every
/// preference is restricted to the states left. Moves are as given. GMCR+ files record
/// misperceived states only. This is a first-level hypergame (Bennett 1980; Fraser & Hipel
/// 1984): each decision maker believes its view is the game everyone plays.
///
/// - [`stable_in_view`](Self::stable_in_view): a state is stable for decision maker i in its
///   own view, by the concept's definition applied to that view (the others' sanctions are
///   the ones i perceives).
/// - [`equilibria`](Self::equilibria), the **hypergame equilibria**: states every decision
///   maker perceives that each decision maker finds stable for itself in its own view.
/// - [`common_equilibria`](Self::common_equilibria): states every decision maker perceives
///   that are equilibria (stable for everyone) in every decision maker's view.
///
/// Without misperceived states or beliefs (no [`unaware`](super::ConflictBuilder::unaware),
/// [`perceive_rank`](super::ConflictBuilder::perceive_rank) or
/// [`perceive_prioritized`](super::ConflictBuilder::perceive_prioritized)) every view is the conflict itself, and both lists are
/// [`Analysis::equilibria`](super::Analysis::equilibria). GMCR+ instead keeps one game and only
/// forbids a decision maker to move to or from states it misperceives; the views here also
/// take those states out of the others' moves, as the decision maker sees them.
///
/// # Examples
///
/// ```
/// use negotiation::strategy::{Concept, ConflictBuilder};
///
/// // A defender may fortify; an attacker may attack. The defender does not know the attack
/// // is an option, so in its view nothing threatens it and fortifying is a waste.
/// let mut b = ConflictBuilder::new();
/// b = b.option("fortify").option("attack");
/// b = b.decision_maker("Defender", ["fortify"]).decision_maker("Attacker", ["attack"]);
/// b = b.rank("Defender", [["NN"], ["YN"], ["YY"], ["NY"]]);
/// b = b.rank("Attacker", [["NY"], ["NN"], ["YN"], ["YY"]]);
/// b = b.unaware("Defender", "attack");
/// let conflict = b.build()?;
/// let h = conflict.hypergame()?;
/// let defender = conflict.dm_id("Defender").unwrap();
/// let nn = conflict.state(&"NN".into())?;
/// assert_eq!(h.view(defender).unwrap().state_count(), 2);
/// // The defender thinks NN is an equilibrium; the attacker sees its attack.
/// assert_eq!(h.view_equilibria(Concept::Nash, defender), Some(vec![nn]));
/// assert!(h.equilibria(Concept::Nash).is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// [`ConflictBuilder::misperceive`]: super::ConflictBuilder::misperceive
/// [`ConflictBuilder::unaware`]: super::ConflictBuilder::unaware
/// [`ConflictBuilder::perceive_rank`]: super::ConflictBuilder::perceive_rank
/// [`ConflictBuilder::perceive_prioritized`]: super::ConflictBuilder::perceive_prioritized
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[must_use]
pub struct Hypergame {
    /// The conflict's, for its handles.
    #[cfg_attr(feature = "serde", serde(skip))]
    stamp: Stamp,
    states: usize,
    /// Per decision maker: its view.
    #[cfg_attr(feature = "serde", serde(skip))]
    views: Vec<Conflict>,
    /// Per decision maker, per state of the conflict: its id in the view, if perceived.
    perceived: Vec<Vec<Option<StateId>>>,
    /// `[concept][viewer · states + state]`: stable for the viewer in its own view.
    own: Vec<Vec<bool>>,
    /// `[concept][viewer · states + state]`: an equilibrium of the viewer's view.
    view_eq: Vec<Vec<bool>>,
}

impl Conflict {
    /// The conflict as each decision maker perceives it, analysed: see [`Hypergame`].
    ///
    /// # Complexity
    ///
    /// With D decision makers, o options and S states: per decision maker, O(S × its
    /// misperception terms) to find what it perceives, O(2^o + D × S log S) time and memory to
    /// build its view (plus ranking each believed preference, as the builder does), and one
    /// [`analyse`](Self::analyse) of the view. The result keeps the D views and O(D × S)
    /// answers. Each view has its own code → state table, so the views take up to D ×
    /// [`Conflict::table_bytes`]`(o, S, D)` bytes together (4 × 2^o per view): that is
    /// checked before any view is built, against a limit of 1 GiB.
    ///
    /// # Errors
    ///
    /// [`HypergameError::NothingPerceived`] names a decision maker whose misperceptions cover
    /// every feasible state; [`HypergameError::TooLarge`], with the bytes needed, when the views' tables
    /// would exceed the limit.
    ///
    /// # Examples
    ///
    /// A GMCR+-style misperception: A does not perceive the state where both options are
    /// taken.
    ///
    /// ```
    /// use negotiation::strategy::{Concept, ConflictBuilder};
    ///
    /// let mut b = ConflictBuilder::new();
    /// b = b.option("a").option("b");
    /// b = b.decision_maker("A", ["a"]).decision_maker("B", ["b"]);
    /// b = b.prioritize("A", ["a & b", "!b"]).prioritize("B", ["b"]);
    /// b = b.misperceive("A", "a & b");
    /// let conflict = b.build()?;
    /// let h = conflict.hypergame()?;
    /// let a = conflict.dm_id("A").unwrap();
    /// let yy = conflict.state(&"YY".into())?;
    /// assert_eq!(h.perceives(a, yy), Some(false));
    /// assert_eq!(h.view(a).unwrap().state_count(), 3);
    /// // A perceives YY nowhere, so YY is no hypergame equilibrium, though the plain
    /// // analysis finds it one (A's best state, B's too).
    /// assert!(conflict.analyse().equilibria(Concept::Nash).contains(&yy));
    /// assert!(!h.equilibria(Concept::Nash).contains(&yy));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn hypergame(&self) -> Result<Hypergame, HypergameError> {
        let n = self.state_count();
        let d = self.decision_makers().len();
        let bytes = Conflict::table_bytes(self.option_count(), n, d).saturating_mul(d as u64);
        if bytes > MAX_VIEW_TABLE_BYTES {
            return Err(HypergameError::TooLarge {
                decision_makers: d,
                bytes,
                limit: MAX_VIEW_TABLE_BYTES,
            });
        }
        let mut views = Vec::with_capacity(d);
        let mut perceived = Vec::with_capacity(d);
        let mut own = vec![vec![false; d * n]; Concept::ALL.len()];
        let mut view_eq = vec![vec![false; d * n]; Concept::ALL.len()];
        for (i, dm) in self.decision_makers().iter().enumerate() {
            let viewer = DmId::from_index(i);
            let view = self
                .perceived_by(viewer)
                .ok_or_else(|| HypergameError::NothingPerceived(dm.name().to_string()))?;
            let map: Vec<Option<StateId>> = self
                .states()
                .map(|s| view.state_of_code(self.code_raw(s)))
                .collect();
            let analysis = view.analyse();
            for (c, concept) in Concept::ALL.into_iter().enumerate() {
                let eq = analysis.equilibria(concept);
                for (s, v) in map.iter().enumerate() {
                    let Some(v) = *v else { continue };
                    own[c][i * n + s] = analysis.is_stable_raw(concept, MoverId::from_index(i), v);
                    view_eq[c][i * n + s] = eq.binary_search(&v).is_ok();
                }
            }
            perceived.push(map);
            views.push(view);
        }
        Ok(Hypergame {
            stamp: self.stamp,
            states: n,
            views,
            perceived,
            own,
            view_eq,
        })
    }
}

impl Hypergame {
    /// Decision maker `d`'s view: the conflict as it perceives it, with its own state
    /// numbering, for [`Conflict::analyse`], reports and pictures. `None` for a decision
    /// maker of another conflict. (Every function here taking a handle of the conflict
    /// answers `None` for one of another conflict.)
    #[must_use]
    pub fn view(&self, d: DmId) -> Option<&Conflict> {
        self.views.get(d.fits(self.stamp, self.views.len())?)
    }

    /// Whether `d` perceives state `s` (of the conflict).
    #[must_use]
    pub fn perceives(&self, d: DmId, s: StateId) -> Option<bool> {
        self.check(d, s)?;
        Some(self.to_view(d, s).is_some())
    }

    /// State `s` of the conflict as numbered in `d`'s view, if `d` perceives it (`None` also
    /// for handles of another conflict: see [`perceives`](Self::perceives)).
    #[must_use]
    pub fn to_view(&self, d: DmId, s: StateId) -> Option<StateId> {
        let (d, s) = self.check(d, s)?;
        self.perceived[d][s]
    }

    /// The states of the conflict that `d` perceives, ascending.
    #[must_use]
    pub fn perceived_states(&self, d: DmId) -> Option<Vec<StateId>> {
        d.fits(self.stamp, self.views.len())?;
        Some(self.states_where(|s| self.to_view(d, s).is_some()))
    }

    /// Whether state `s` (of the conflict) is stable for `d` under `concept` in `d`'s own
    /// view; `false` when `d` does not perceive it.
    #[must_use]
    pub fn stable_in_view(&self, concept: Concept, d: DmId, s: StateId) -> Option<bool> {
        self.check(d, s)?;
        Some(self.get(&self.own, concept, d, s))
    }

    /// The equilibria of `d`'s view under `concept`, as states of the conflict, ascending.
    #[must_use]
    pub fn view_equilibria(&self, concept: Concept, d: DmId) -> Option<Vec<StateId>> {
        d.fits(self.stamp, self.views.len())?;
        Some(self.states_where(|s| self.get(&self.view_eq, concept, d, s)))
    }

    /// The indices of a decision maker and a state of the conflict.
    fn check(&self, d: DmId, s: StateId) -> Option<(usize, usize)> {
        Some((
            d.fits(self.stamp, self.views.len())?,
            s.fits(self.stamp, self.states)?,
        ))
    }

    /// The hypergame equilibria under `concept`: states every decision maker perceives and
    /// finds stable for itself in its own view, ascending.
    #[must_use]
    pub fn equilibria(&self, concept: Concept) -> Vec<StateId> {
        self.states_where(|s| {
            (0..self.views.len()).all(|i| self.get(&self.own, concept, DmId::from_index(i), s))
        })
    }

    /// The states that are equilibria under `concept` in every decision maker's view (so
    /// perceived by all), ascending.
    #[must_use]
    pub fn common_equilibria(&self, concept: Concept) -> Vec<StateId> {
        self.states_where(|s| {
            (0..self.views.len()).all(|i| self.get(&self.view_eq, concept, DmId::from_index(i), s))
        })
    }

    fn get(&self, table: &[Vec<bool>], concept: Concept, d: DmId, s: StateId) -> bool {
        if d.index() >= self.views.len() || s.index() >= self.states {
            return false;
        }
        table[concept as usize][d.index() * self.states + s.index()]
    }

    fn states_where(&self, keep: impl Fn(StateId) -> bool) -> Vec<StateId> {
        (0..self.states)
            .map(StateId::from_index)
            .filter(|&s| keep(s))
            .collect()
    }

    /// The results as text, with `conflict`'s names (the conflict the hypergame was formed
    /// from): per decision maker the states it does not perceive, then per concept the
    /// hypergame equilibria, the common equilibria and each view's own stable states and
    /// equilibria, as the conflict's 1-based state numbers.
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::strategy::ConflictBuilder;
    ///
    /// let mut b = ConflictBuilder::new();
    /// b = b.option("fortify").option("attack");
    /// b = b.decision_maker("Defender", ["fortify"]).decision_maker("Attacker", ["attack"]);
    /// b = b.rank("Defender", [["NN"], ["YN"], ["YY"], ["NY"]]);
    /// b = b.rank("Attacker", [["NY"], ["NN"], ["YN"], ["YY"]]);
    /// b = b.unaware("Defender", "attack");
    /// let conflict = b.build()?;
    /// let text = conflict.hypergame()?.display(&conflict).to_string();
    /// assert!(text.contains("Defender does not perceive: 3 4"));
    /// assert!(text.contains("Nash: hypergame equilibria: none"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn display<'a>(&'a self, conflict: &'a Conflict) -> impl fmt::Display + 'a {
        DisplayHypergame {
            hypergame: self,
            conflict,
        }
    }
}

struct DisplayHypergame<'a> {
    hypergame: &'a Hypergame,
    conflict: &'a Conflict,
}

fn numbers(states: impl IntoIterator<Item = StateId>) -> String {
    let v: Vec<String> = states.into_iter().map(|s| s.number().to_string()).collect();
    if v.is_empty() {
        "none".into()
    } else {
        v.join(" ")
    }
}

impl fmt::Display for DisplayHypergame<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = self.hypergame;
        if !h.stamp.admits(self.conflict) {
            return writeln!(f, "{}", foreign_note("hypergame analysis"));
        }
        let dms: Vec<DmId> = (0..h.views.len()).map(DmId::from_index).collect();
        for &d in &dms {
            let name = self.conflict.dm_name_raw(d);
            let hidden = h.states_where(|s| h.perceives(d, s) != Some(true));
            writeln!(f, "{name} does not perceive: {}", numbers(hidden))?;
        }
        for concept in Concept::ALL {
            writeln!(
                f,
                "{concept}: hypergame equilibria: {}; common equilibria: {}",
                numbers(h.equilibria(concept)),
                numbers(h.common_equilibria(concept))
            )?;
            for &d in &dms {
                let name = self.conflict.dm_name_raw(d);
                writeln!(
                    f,
                    "  in the view of {name}: stable for {name}: {}; equilibria: {}",
                    numbers(h.states_where(|s| h.stable_in_view(concept, d, s) == Some(true))),
                    numbers(h.view_equilibria(concept, d).unwrap_or_default())
                )?;
            }
        }
        Ok(())
    }
}
