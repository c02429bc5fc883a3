//! GMCR+ `.gmcr` files (the JSON saved by gmcr-py): import and export.
//!
//! GMCR+ identifies options by position: names are labels, and two options may share one.
//! When it loads a file it first groups the options by decision maker (its
//! `reorderOptionsByDM`) and numbers the states in that order; manual rankings refer to those
//! numbers. The importer reproduces that order exactly, so state numbers and rankings mean what
//! they mean in GMCR+.

use serde::{Deserialize, Serialize};

use super::conflict::{
    Conflict, ConflictBuilder, ConflictError, Direction, DmId, Preferences, StateRef,
};
use super::statement::{Literal, Statement};
use super::OptionId;
use crate::scenario::JsonError;

/// Why a `.gmcr` file could not be read.
///
/// Marked `#[non_exhaustive]`: new variants are not breaking changes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GmcrError {
    /// Not JSON of the expected shape.
    #[error("{path}: {source}")]
    Syntax {
        /// The path to the entry (`.` for the document).
        path: String,
        /// What is wrong, with line and column.
        #[source]
        source: JsonError,
    },
    /// Content after the GMCR+ document (a second document appended to the file).
    #[error(".: content after the GMCR+ document: {0}")]
    Trailing(#[source] JsonError),
    /// A value the format does not allow: an option index out of range, a literal other than
    /// `Y`/`N`, an unknown direction, a ranking that names a state twice or omits one.
    #[error("{path}: {message}")]
    Value {
        /// The path to the entry (`decisionMakers[1].preferenceRanking[2][0]`).
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The conflict's tables would take more memory than [`GmcrLimits::max_table_bytes`].
    #[error(
        "{options} options, {states} feasible states, {decision_makers} decision makers: the \
         tables would take {needed} bytes ({} MiB), over the limit of {limit} bytes ({} MiB); \
         raise GmcrLimits::max_table_bytes to import it",
        needed.div_ceil(1 << 20),
        limit / (1 << 20)
    )]
    TooLarge {
        /// The bytes the import would need ([`Conflict::table_bytes`]).
        needed: u64,
        /// The limit.
        limit: u64,
        /// The file's options.
        options: usize,
        /// Its feasible states.
        states: usize,
        /// Its decision makers.
        decision_makers: usize,
    },
    /// The conflict the file describes does not validate (every state infeasible).
    #[error("{0}")]
    Conflict(#[source] ConflictError),
}

/// Limits on what a `.gmcr` import may allocate.
///
/// Marked `#[non_exhaustive]`: start from `GmcrLimits::default()` and set fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct GmcrLimits {
    /// The most bytes the conflict's tables may take ([`Conflict::table_bytes`]:
    /// 4 × 2^options + (20 + 4 × decision makers) × feasible states). Default 1 GiB.
    pub max_table_bytes: u64,
}

impl Default for GmcrLimits {
    fn default() -> Self {
        GmcrLimits {
            max_table_bytes: 1 << 30,
        }
    }
}

/// A condition: a conjunction of `[option index, "Y"|"N"]` pairs, or a disjunction of them.
#[derive(Clone, Deserialize, Serialize)]
#[serde(untagged)]
enum Condition {
    Simple(Vec<(usize, String)>),
    Compound {
        #[serde(default)]
        compound: bool,
        members: Vec<Vec<(usize, String)>>,
    },
}

/// A ranking entry (a state, or tied states) or a coalition (a decision maker, or several).
#[derive(Clone, Deserialize, Serialize)]
#[serde(untagged)]
enum Entry {
    One(usize),
    Tie(Vec<usize>),
}

impl Entry {
    fn members(&self) -> &[usize] {
        match self {
            Entry::One(k) => std::slice::from_ref(k),
            Entry::Tie(ks) => ks,
        }
    }

    fn of(mut members: Vec<usize>) -> Entry {
        if members.len() == 1 {
            Entry::One(members.remove(0))
        } else {
            Entry::Tie(members)
        }
    }
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct OptionEntry {
    name: String,
    #[serde(default = "both")]
    permitted_direction: String,
}

fn both() -> String {
    "both".into()
}

#[derive(Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct DmEntry {
    name: String,
    #[serde(default)]
    options: Vec<usize>,
    #[serde(default)]
    preferences: Vec<Condition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    preference_ranking: Option<Vec<Entry>>,
    /// The older name of `preferenceRanking`, read when that is absent.
    #[serde(default, skip_serializing)]
    preference_vector: Option<Vec<Entry>>,
    /// Written as GMCR+ writes them; recomputed on import.
    #[serde(default, skip_deserializing, skip_serializing_if = "Vec::is_empty")]
    payoffs: Vec<usize>,
    #[serde(default)]
    misperceptions: Vec<Condition>,
}

/// A `coalitionsFull` entry: a lone decision maker in full, or a coalition's name and options.
#[derive(Serialize)]
#[serde(untagged)]
enum FullEntry {
    Dm(DmEntry),
    Group { name: String, options: Vec<usize> },
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct File {
    options: Vec<OptionEntry>,
    decision_makers: Vec<DmEntry>,
    #[serde(default)]
    infeasibles: Vec<Condition>,
    #[serde(default)]
    use_manual_preference_ranking: Option<bool>,
    /// The older name of `useManualPreferenceRanking`, read when that is absent.
    #[serde(default, skip_serializing)]
    use_manual_preference_vectors: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    coalitions: Option<Vec<Entry>>,
    /// Derived from `coalitions`; written as GMCR+ writes it, ignored on import as GMCR+ does.
    #[serde(default, skip_deserializing, skip_serializing_if = "Vec::is_empty")]
    coalitions_full: Vec<FullEntry>,
    /// The status quo, a 1-based state number (this crate's; GMCR+ ignores it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status_quo: Option<usize>,
    #[serde(default, skip_deserializing)]
    program: String,
    #[serde(default, skip_deserializing)]
    version: String,
}

/// The order in which GMCR+ places the options after loading a file whose options are
/// `0..n` and whose decision makers list `dms`: its `reorderOptionsByDM`, step by step (each
/// option, in decision-maker order, is taken out and put back at the position the count of
/// options moved so far gives). Entry i is the file index of the option GMCR+ places i-th.
fn gmcr_order(n: usize, dms: &[Vec<usize>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut moved: Vec<usize> = Vec::new();
    for &o in dms.iter().flatten() {
        if o >= n || moved.contains(&o) {
            continue;
        }
        moved.push(o);
        if let Some(at) = order.iter().position(|&x| x == o) {
            order.remove(at);
            order.insert(moved.len().min(order.len()), o);
        }
    }
    order
}

/// A file order for the conflict's options that GMCR+ (and the importer) put back in the
/// conflict's order: entry i is the conflict option written i-th. `None` when there is none
/// (options not grouped by decision maker).
fn file_order(n: usize, dms: &[Vec<usize>]) -> Option<Vec<usize>> {
    let identity: Vec<usize> = (0..n).collect();
    let check = |order: &[usize]| {
        let relabel: Vec<Vec<usize>> = dms
            .iter()
            .map(|d| {
                d.iter()
                    .filter_map(|o| order.iter().position(|x| x == o))
                    .collect()
            })
            .collect();
        gmcr_order(n, &relabel).iter().map(|&i| order[i]).eq(0..n)
    };
    if check(&identity) {
        return Some(identity);
    }
    // Undo the steps from the last: each moved option sits where its step put it; put it back
    // where it would sit had the file been grouped.
    let mut moved: Vec<usize> = Vec::new();
    for &o in dms.iter().flatten() {
        if !moved.contains(&o) {
            moved.push(o);
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..=moved.len()).rev() {
        let at = i.min(n.saturating_sub(1));
        if order.get(at) != Some(&moved[i - 1]) {
            return None;
        }
        let o = order.remove(at);
        order.insert((i - 1).min(order.len()), o);
    }
    check(&order).then_some(order)
}

impl Conflict {
    /// Reads a GMCR+ `.gmcr` file with the default [`GmcrLimits`]; see
    /// [`from_gmcr_with`](Self::from_gmcr_with).
    ///
    /// # Errors
    ///
    /// As [`from_gmcr_with`](Self::from_gmcr_with).
    pub fn from_gmcr(json: &str) -> Result<Conflict, GmcrError> {
        Conflict::from_gmcr_with(json, &GmcrLimits::default())
    }

    /// Reads a GMCR+ `.gmcr` file as GMCR+ reads it.
    ///
    /// - Options are identified by position; their names are labels, which may repeat (name
    ///   one in text by [`Conflict::qualified_name`], `"IJC.Full"`). They are numbered as GMCR+
    ///   numbers them after grouping them by decision maker (for files GMCR+ wrote, the file's
    ///   order), and states are the feasible ones by ascending code, option k contributing
    ///   2^k: the numbers GMCR+ shows, which manual rankings use.
    /// - `useManualPreferenceRanking` (or, when absent, the older `useManualPreferenceVectors`)
    ///   chooses rankings (`preferenceRanking`, or the older `preferenceVector`) over
    ///   prioritized `preferences`; the statements are then kept
    ///   ([`DecisionMaker::kept_statements`](super::DecisionMaker::kept_statements)).
    /// - Decision makers without options and options nobody controls are loaded; a decision
    ///   maker listing an option twice controls it once.
    /// - `coalitions` that do not partition the decision makers (`[0]` for three of them)
    ///   are read as one coalition per decision maker, as GMCR+ resets them.
    /// - `statusQuo` (this crate's, a state number) is read; `payoffs`, `coalitionsFull`,
    ///   `program`, `version` and unknown keys are ignored. Misperceptions are kept, not
    ///   analysed.
    ///
    /// # Errors
    ///
    /// A [`GmcrError`] with the path to the offending entry, in the file's own names
    /// (`decisionMakers[1].preferences[0][2]: option 9 does not exist (4 options)`,
    /// `decisionMakers[0].preferenceRanking[3][1]: state 9: ranked twice`);
    /// [`GmcrError::TooLarge`] when the tables would exceed `limits`.
    ///
    /// # Complexity
    ///
    /// With o options, S feasible states, D decision makers and T statement terms in all:
    /// parsing is linear in the file; O(2^o × infeasibility terms) to enumerate the states;
    /// each decision maker's prioritized statements cost O(S × its terms) at worst, as states
    /// already told apart by earlier statements are not tested again; a ranking costs O(S).
    /// Memory: the file's parsed form, and [`Conflict::table_bytes`] — 4 × 2^o +
    /// (20 + 4D) × S bytes — which `limits` bounds; nothing grows with statements × states.
    pub fn from_gmcr_with(json: &str, limits: &GmcrLimits) -> Result<Conflict, GmcrError> {
        let de = &mut serde_json::Deserializer::from_str(json);
        let file: File = serde_path_to_error::deserialize(crate::strict::Strict(&mut *de))
            .map_err(|e| GmcrError::Syntax {
                path: crate::scenario::json_path(e.path()),
                source: JsonError::new(e.into_inner()),
            })?;
        // A second document appended to the file would otherwise be dropped.
        de.end()
            .map_err(|e| GmcrError::Trailing(JsonError::new(e)))?;
        let n = file.options.len();
        let value = |path: String, message: String| GmcrError::Value { path, message };
        if n > super::MAX_OPTIONS {
            return Err(GmcrError::Conflict(ConflictError::TooManyOptions {
                count: n,
                max: super::MAX_OPTIONS,
            }));
        }
        let exists = |path: &dyn Fn() -> String, k: usize| -> Result<usize, GmcrError> {
            if k < n {
                Ok(k)
            } else {
                Err(value(
                    path(),
                    format!(
                        "option {k} does not exist ({n} option{})",
                        if n == 1 { "" } else { "s" }
                    ),
                ))
            }
        };
        // Each decision maker's options, in file indices, checked and without repeats.
        let mut owner: Vec<Option<usize>> = vec![None; n];
        let mut lists: Vec<Vec<usize>> = Vec::with_capacity(file.decision_makers.len());
        for (d, dm) in file.decision_makers.iter().enumerate() {
            if file.decision_makers[..d].iter().any(|o| o.name == dm.name) {
                return Err(value(
                    format!("decisionMakers[{d}].name"),
                    format!("`{}` names two decision makers", dm.name),
                ));
            }
            let mut list = Vec::with_capacity(dm.options.len());
            for (j, &k) in dm.options.iter().enumerate() {
                let path = || format!("decisionMakers[{d}].options[{j}]");
                exists(&path, k)?;
                match owner[k] {
                    Some(e) if e == d => continue,
                    Some(e) => {
                        return Err(value(
                            path(),
                            format!(
                                "option {k} is already controlled by `{}`",
                                file.decision_makers[e].name
                            ),
                        ))
                    }
                    None => owner[k] = Some(d),
                }
                list.push(k);
            }
            lists.push(list);
        }
        let order = gmcr_order(n, &lists);
        // File index → conflict option.
        let mut id = vec![OptionId(0); n];
        for (i, &k) in order.iter().enumerate() {
            id[k] = OptionId(i as u32);
        }

        let conjunction = |path: &str, pairs: &[(usize, String)]| -> Result<Statement, GmcrError> {
            let mut literals = Vec::with_capacity(pairs.len());
            for (j, (k, yn)) in pairs.iter().enumerate() {
                let option = id[exists(&|| format!("{path}[{j}]"), *k)?];
                let taken = match yn.as_str() {
                    "Y" => true,
                    "N" => false,
                    other => {
                        return Err(value(
                            format!("{path}[{j}]"),
                            format!("`{other}`: expected \"Y\" or \"N\""),
                        ))
                    }
                };
                literals.push(Literal { option, taken });
            }
            Ok(Statement::all_of(literals))
        };
        let condition = |path: String, c: &Condition| -> Result<Statement, GmcrError> {
            match c {
                Condition::Simple(pairs) => conjunction(&path, pairs),
                Condition::Compound { members, .. } => {
                    let mut alternatives = Vec::with_capacity(members.len());
                    for (m, pairs) in members.iter().enumerate() {
                        alternatives.push(conjunction(&format!("{path}.members[{m}]"), pairs)?);
                    }
                    Ok(Statement::any_of(alternatives))
                }
            }
        };

        let manual = file
            .use_manual_preference_ranking
            .or(file.use_manual_preference_vectors)
            .unwrap_or(false);
        let mut b = ConflictBuilder::new();
        b = b.allow_idle().max_table_bytes(limits.max_table_bytes);
        for &k in &order {
            let o = &file.options[k];
            let direction: Direction = o.permitted_direction.parse().map_err(
                |e: super::conflict::ParseDirectionError| {
                    value(format!("options[{k}].permittedDirection"), e.to_string())
                },
            )?;
            b = b.option_with(o.name.clone(), direction);
        }
        let mut kept = Vec::with_capacity(file.decision_makers.len());
        for (d, dm) in file.decision_makers.iter().enumerate() {
            let path = format!("decisionMakers[{d}]");
            b = b.decision_maker_ids(&dm.name, lists[d].iter().map(|&k| id[k]).collect());
            for (j, m) in dm.misperceptions.iter().enumerate() {
                b = b.misperceive(
                    &dm.name,
                    condition(format!("{path}.misperceptions[{j}]"), m)?,
                );
            }
            let statements = dm
                .preferences
                .iter()
                .enumerate()
                .map(|(j, c)| condition(format!("{path}.preferences[{j}]"), c))
                .collect::<Result<Vec<_>, _>>()?;
            if manual {
                // Ranked once the states are known; the statements are kept.
                b = b.prioritize(&dm.name, Vec::<Statement>::new());
                kept.push(statements);
            } else {
                b = b.prioritize(&dm.name, statements);
            }
        }
        for (j, c) in file.infeasibles.iter().enumerate() {
            b = b.infeasible(condition(format!("infeasibles[{j}]"), c)?);
        }
        if let Some(coalitions) = &file.coalitions {
            let count = file.decision_makers.len();
            let mut seen = vec![0usize; count];
            for (j, e) in coalitions.iter().enumerate() {
                for (m, &d) in e.members().iter().enumerate() {
                    let path = match e {
                        Entry::One(_) => format!("coalitions[{j}]"),
                        Entry::Tie(_) => format!("coalitions[{j}][{m}]"),
                    };
                    let slot = seen.get_mut(d).ok_or_else(|| {
                        value(
                            path,
                            format!(
                                "decision maker {d} does not exist ({count} decision maker{})",
                                if count == 1 { "" } else { "s" }
                            ),
                        )
                    })?;
                    *slot += 1;
                }
            }
            let partition =
                seen.iter().all(|&c| c == 1) && coalitions.iter().all(|e| !e.members().is_empty());
            let name = |d: usize| file.decision_makers[d].name.clone();
            if partition {
                b = b.coalitions(
                    coalitions
                        .iter()
                        .map(|e| e.members().iter().map(|&d| name(d)).collect::<Vec<_>>()),
                );
            } else {
                // GMCR+ resets coalitions that do not cover every decision maker once.
                b = b.coalitions((0..count).map(|d| [name(d)]));
            }
        }
        if let Some(sq) = file.status_quo {
            b = b.status_quo(StateRef::Number(sq));
        }
        let mut conflict = b.build().map_err(|e| match e {
            ConflictError::TooLarge {
                needed,
                limit,
                states,
            } => GmcrError::TooLarge {
                needed,
                limit,
                options: n,
                states,
                decision_makers: file.decision_makers.len(),
            },
            ConflictError::StatusQuo { why, .. } => value("statusQuo".into(), why),
            other => GmcrError::Conflict(other),
        })?;
        if manual {
            for (d, (dm, statements)) in file.decision_makers.iter().zip(kept).enumerate() {
                let (field, entries) = match (&dm.preference_ranking, &dm.preference_vector) {
                    (Some(r), _) => ("preferenceRanking", r),
                    (None, Some(v)) => ("preferenceVector", v),
                    (None, None) => {
                        return Err(value(
                            format!("decisionMakers[{d}].preferenceRanking"),
                            "missing, although useManualPreferenceRanking is true".into(),
                        ))
                    }
                };
                let refs: Vec<Vec<StateRef>> = entries
                    .iter()
                    .map(|e| e.members().iter().map(|&s| StateRef::Number(s)).collect())
                    .collect();
                let ranking = conflict.ranking(&refs).map_err(|(at, state, why)| {
                    let path = match at {
                        None => String::new(),
                        Some((t, k)) => match entries[t] {
                            Entry::One(_) => format!("[{t}]"),
                            Entry::Tie(_) => format!("[{t}][{k}]"),
                        },
                    };
                    value(
                        format!("decisionMakers[{d}].{field}{path}"),
                        format!("{state}: {why}"),
                    )
                })?;
                conflict.set_preferences(DmId(d as u32), Preferences::Ranking(ranking), statements);
            }
        }
        Ok(conflict)
    }

    /// Writes the conflict as a GMCR+ `.gmcr` file, with every field GMCR+ writes
    /// (`decisionMakers` with `payoffs`, `misperceptions` and, in ranking mode,
    /// `preferenceRanking`; `coalitions` and `coalitionsFull` when the conflict has
    /// coalitions; `useManualPreferenceRanking`; `program` and `version`, which name this
    /// crate), and the status quo as `statusQuo`, a state number, which GMCR+ ignores.
    ///
    /// [`Conflict::from_gmcr`] reads it back to the same options (same ids, when they are
    /// grouped by decision maker as GMCR+ groups them), decision makers, feasible states,
    /// preferences, misperceptions, coalitions and status quo; statements come back as the
    /// same disjunctions of conjunctions, simplified. GMCR+ has one preference mode per file:
    /// when every decision maker is prioritized, the file holds statements; when any is ranked,
    /// rankings for all, derived from the preferences (the statements are written too, but a
    /// prioritized decision maker comes back ranked). Payoffs are written as GMCR+ computes
    /// them: dense ranks from 1 for statements, the number of states less the tier's position
    /// for rankings.
    ///
    /// A conflict whose options are not grouped by decision maker (from a builder) is written
    /// in its own option order, and its rankings and status quo in the state numbers GMCR+ will
    /// give after grouping them.
    #[must_use]
    pub fn to_gmcr(&self) -> String {
        let n = self.options.len();
        let lists: Vec<Vec<usize>> = self
            .dms
            .iter()
            .map(|d| d.options().iter().map(|o| o.index()).collect())
            .collect();
        // `written[i]`: the conflict option written i-th; `number[s]`: state s's GMCR+ number.
        let (written, number) = match file_order(n, &lists) {
            Some(written) => (written, self.states().map(|s| s.number()).collect()),
            None => {
                let g = gmcr_order(n, &lists);
                let gcode = |code: u64| -> u64 {
                    g.iter()
                        .enumerate()
                        .filter(|&(_, &k)| code >> k & 1 == 1)
                        .fold(0, |c, (i, _)| c | 1 << i)
                };
                let mut by: Vec<(u64, usize)> = self
                    .codes
                    .iter()
                    .enumerate()
                    .map(|(s, &c)| (gcode(c), s))
                    .collect();
                by.sort_unstable();
                let mut number = vec![0; by.len()];
                for (i, &(_, s)) in by.iter().enumerate() {
                    number[s] = i + 1;
                }
                ((0..n).collect(), number)
            }
        };
        let mut at = vec![0usize; n];
        for (i, &o) in written.iter().enumerate() {
            at[o] = i;
        }
        let pairs = |lits: Vec<Literal>| -> Vec<(usize, String)> {
            lits.into_iter()
                .map(|l| {
                    (
                        at.get(l.option.index()).copied().unwrap_or(0),
                        if l.taken { "Y" } else { "N" }.to_string(),
                    )
                })
                .collect()
        };
        let condition = |s: &Statement| -> Condition {
            let mut terms: Vec<_> = s.terms().map(pairs).collect();
            if terms.len() == 1 {
                Condition::Simple(terms.remove(0))
            } else {
                Condition::Compound {
                    compound: true,
                    members: terms,
                }
            }
        };
        let manual = self
            .dms
            .iter()
            .any(|d| matches!(d.preferences(), Preferences::Ranking(_)));
        let states = self.codes.len();
        // Tiers, most preferred first, in GMCR+ numbers: a ranking as stated, else from the
        // payoffs.
        let tiers = |d: usize| -> Vec<Vec<usize>> {
            if let Preferences::Ranking(tiers) = self.dms[d].preferences() {
                return tiers
                    .iter()
                    .map(|t| t.iter().map(|s| number[s.index()]).collect())
                    .collect();
            }
            let pay = &self.payoffs[d];
            let top = pay.iter().copied().max().unwrap_or(0);
            let mut tiers: Vec<Vec<usize>> = vec![Vec::new(); top as usize + 1];
            for (s, &p) in pay.iter().enumerate() {
                tiers[(top - p) as usize].push(number[s]);
            }
            tiers.retain(|t| !t.is_empty());
            for t in &mut tiers {
                t.sort_unstable();
            }
            tiers
        };
        let entry = |d: usize| -> DmEntry {
            let dm = &self.dms[d];
            let tiers = tiers(d);
            let mut payoffs = vec![0; states];
            for (t, tier) in tiers.iter().enumerate() {
                for &s in tier {
                    payoffs[s - 1] = if manual { states - t } else { tiers.len() - t };
                }
            }
            let statements = match dm.preferences() {
                Preferences::Prioritized(list) => list.as_slice(),
                Preferences::Ranking(_) => dm.kept_statements(),
            };
            DmEntry {
                name: dm.name().to_string(),
                options: dm.options().iter().map(|o| at[o.index()]).collect(),
                preferences: statements.iter().map(condition).collect(),
                preference_ranking: manual.then(|| tiers.into_iter().map(Entry::of).collect()),
                preference_vector: None,
                payoffs,
                misperceptions: dm.misperceptions().iter().map(condition).collect(),
            }
        };
        let decision_makers: Vec<DmEntry> = (0..self.dms.len()).map(entry).collect();
        let coalitions_full = self
            .coalitions()
            .map(|groups| {
                groups
                    .iter()
                    .map(|g| match g.as_slice() {
                        [one] => FullEntry::Dm(decision_makers[one.index()].clone()),
                        many => FullEntry::Group {
                            name: many
                                .iter()
                                .map(|&d| self.dm_name_raw(d))
                                .collect::<Vec<_>>()
                                .join(", "),
                            options: many
                                .iter()
                                .flat_map(|&d| decision_makers[d.index()].options.clone())
                                .collect(),
                        },
                    })
                    .collect()
            })
            .unwrap_or_default();
        let file = File {
            options: written
                .iter()
                .map(|&k| OptionEntry {
                    name: self.options[k].name.clone(),
                    permitted_direction: self.options[k].direction.as_str().to_string(),
                })
                .collect(),
            decision_makers,
            infeasibles: self
                .infeasible
                .iter()
                .flat_map(|s| {
                    s.terms()
                        .map(pairs)
                        .map(Condition::Simple)
                        .collect::<Vec<_>>()
                })
                .collect(),
            use_manual_preference_ranking: Some(manual),
            use_manual_preference_vectors: None,
            coalitions: self.coalitions().map(|groups| {
                groups
                    .iter()
                    .map(|g| Entry::of(g.iter().map(|d| d.index()).collect()))
                    .collect()
            }),
            coalitions_full,
            status_quo: self.status_quo().map(|s| number[s.index()]),
            program: "negotiation".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        };
        // Serializing plain data to a string cannot fail.
        serde_json::to_string_pretty(&file).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_placed_as_gmcr_plus_places_them() {
        // Grouped files keep their order.
        assert_eq!(gmcr_order(4, &[vec![0, 1], vec![2, 3]]), [0, 1, 2, 3]);
        // Interleaved options are grouped by decision maker.
        assert_eq!(gmcr_order(4, &[vec![1, 3], vec![0, 2]]), [1, 3, 0, 2]);
        // GMCR+ puts each moved option one place past the count moved so far, so an option
        // nobody controls can end up first.
        assert_eq!(gmcr_order(3, &[vec![0]]), [1, 0, 2]);
        assert_eq!(gmcr_order(4, &[vec![3], vec![1]]), [0, 3, 1, 2]);
        // A file order that comes back as the conflict's, even with uncontrolled options.
        for dms in [
            vec![vec![0]],
            vec![vec![1], vec![0]],
            vec![vec![0, 2], vec![]],
        ] {
            let n = 3;
            let Some(written) = file_order(n, &dms) else {
                continue;
            };
            let relabel: Vec<Vec<usize>> = dms
                .iter()
                .map(|d| {
                    d.iter()
                        .map(|o| written.iter().position(|x| x == o).unwrap())
                        .collect()
                })
                .collect();
            let back: Vec<usize> = gmcr_order(n, &relabel)
                .iter()
                .map(|&i| written[i])
                .collect();
            assert_eq!(back, [0, 1, 2], "{dms:?}");
        }
        assert_eq!(file_order(2, &[vec![1], vec![0]]), None);
    }
}
