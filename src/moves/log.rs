//! The history as a negotiation stores it: `MoveLog`, one small record per move, rebuilt
//! into [`Move`]s on demand (the public view is `History`, in `history.rs`). It reads the
//! negotiation's tables only through [`Names`], so it sits below the negotiation.

use crate::model::Position;
use crate::moves::{Move, MoveKind, MoveMeta};
use crate::time::Date;

/// The negotiation's tables as the log needs them: keys by index and back. Indices are those
/// of the negotiation's parties, tracks and nodes.
pub(crate) trait Names {
    /// The key of party `i`.
    fn party_key(&self, i: u32) -> Option<&str>;
    /// The key of track `i`.
    fn track_key(&self, i: u32) -> Option<&str>;
    /// The key of node `i`.
    fn node_key(&self, i: u32) -> Option<&str>;
    /// The index of the party whose key is `key`.
    fn party_index(&self, key: &str) -> Option<u32>;
    /// The index of the track whose key is `key`.
    fn track_index(&self, key: &str) -> Option<u32>;
    /// The index of the node whose key is `key`.
    fn node_index(&self, key: &str) -> Option<u32>;
}

/// What a [`Record`] is. Moves that declare structure (demand, require, open a track,
/// reschedule, extend), and any move whose ids are not the negotiation's keys, are kept whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tag {
    SetPosition,
    ProposeArticle,
    AmendArticle,
    MoveArticle,
    ExcludeArticle,
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
    Unrequire,
    Record,
    /// `a` is the move's index in [`MoveLog::whole`].
    Whole,
}

/// `flags`: the position of a `SetPosition` (two bits), then which optional texts follow the
/// record's main text in the arena.
const POSITION: u8 = 0b11;
const HAS_ABOUT: u8 = 1 << 2;
const HAS_SOURCE: u8 = 1 << 3;
const HAS_NOTE: u8 = 1 << 4;

/// One recorded move, 24 bytes: the actor and up to two subjects as indices into the
/// negotiation's tables (a node, a track or a party, by the tag), the date, and where the
/// move's text ends in [`MoveLog::text`] (it starts where the previous record's ends).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Record {
    actor: u32,
    /// The subject: the article, condition, concession, stage or node the move is about.
    a: u32,
    /// The second subject: a track (propose, move an article), a stage (link, unlink), the
    /// required node (unrequire); unused otherwise.
    b: u32,
    text_end: u32,
    date: Option<Date>,
    tag: Tag,
    flags: u8,
}

/// A negotiation's history as it is stored: see [`History`] for the view.
///
/// **Architecture Invariant:** every record's handles are valid in the negotiation that holds
/// the log, and its keys are exactly the strings of the move that was applied (a move is
/// recorded compactly only when each of its ids looks up to a handle); nodes, parties and
/// tracks are never removed or renamed except by rolling back the move that added them,
/// which pops its record first.
#[derive(Clone, Debug, Default)]
pub(crate) struct MoveLog {
    /// The first moves, shared with the scenario the negotiation was loaded from (empty
    /// otherwise); copied only if a rollback ever reached into them.
    shared: std::sync::Arc<Vec<Move>>,
    /// The moves after those, one record each.
    records: Vec<Record>,
    /// The records' text: each string as its length (4 bytes, little-endian) and its UTF-8.
    text: Vec<u8>,
    /// The moves kept whole, in order ([`Tag::Whole`]).
    whole: Vec<Move>,
}

impl MoveLog {
    /// A history of `moves`, shared with their owner.
    pub(crate) fn shared(moves: std::sync::Arc<Vec<Move>>) -> MoveLog {
        MoveLog {
            shared: moves,
            ..MoveLog::default()
        }
    }

    /// The moves as one shared vector: the shared part itself when nothing was recorded after
    /// it, else a new vector of every move.
    pub(crate) fn to_shared(&self, names: &dyn Names) -> std::sync::Arc<Vec<Move>> {
        if self.records.is_empty() {
            self.shared.clone()
        } else {
            std::sync::Arc::new(
                (0..self.len())
                    .filter_map(|step| self.get(names, step))
                    .collect(),
            )
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.shared.len() + self.records.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether two logs hold equal moves in the same order, each read with its negotiation's
    /// tables. Logs stored identically are equal without rebuilding a move (for negotiations
    /// whose tables are equal, which [`Negotiation`](crate::Negotiation)'s equality checks
    /// alongside).
    pub(crate) fn same_moves(
        &self,
        names: &dyn Names,
        other: &MoveLog,
        others: &dyn Names,
    ) -> bool {
        let stored_alike = (std::sync::Arc::ptr_eq(&self.shared, &other.shared)
            || self.shared == other.shared)
            && self.records == other.records
            && self.text == other.text
            && self.whole == other.whole;
        stored_alike
            || (self.len() == other.len()
                && (0..self.len()).all(|step| self.get(names, step) == other.get(others, step)))
    }

    /// The date of the move of `step`, without rebuilding it.
    pub(crate) fn date(&self, step: usize) -> Option<Date> {
        match step.checked_sub(self.shared.len()) {
            None => self.shared.get(step).and_then(|m| m.meta.date),
            Some(r) => {
                let record = self.records.get(r)?;
                match record.tag {
                    Tag::Whole => self.whole.get(record.a as usize)?.meta.date,
                    _ => record.date,
                }
            }
        }
    }

    /// Where record `r`'s text starts.
    fn text_start(&self, r: usize) -> usize {
        r.checked_sub(1)
            .and_then(|p| self.records.get(p))
            .map_or(0, |p| p.text_end as usize)
    }

    /// Appends the record of a move: `compact`, or `mv` kept whole when it is `None` (its
    /// text, written from `start`, dropped).
    fn push(&mut self, compact: Option<Record>, start: usize, mv: &Move) {
        let compact = compact.filter(|_| u32::try_from(self.text.len()).is_ok());
        let record = match (compact, u32::try_from(self.whole.len())) {
            (Some(record), _) => record,
            (None, Ok(index)) => {
                self.text.truncate(start);
                self.whole.push(mv.clone());
                Record {
                    actor: NONE,
                    a: index,
                    b: NONE,
                    text_end: 0,
                    date: None,
                    tag: Tag::Whole,
                    flags: 0,
                }
            }
            // Four billion declarations: nothing left to record them with.
            (None, Err(_)) => return,
        };
        self.records.push(Record {
            text_end: self.text.len() as u32,
            ..record
        });
    }

    /// Forgets the last move (rolling back a hypothetical one).
    pub(crate) fn pop(&mut self) {
        match self.records.pop() {
            Some(record) => {
                if record.tag == Tag::Whole {
                    self.whole.pop();
                }
                let start = self.text_start(self.records.len());
                self.text.truncate(start);
            }
            None => {
                std::sync::Arc::make_mut(&mut self.shared).pop();
            }
        }
    }

    /// Records `mv`, just applied by the negotiation whose tables `names` reads.
    pub(crate) fn record(&mut self, names: &dyn Names, mv: &Move) {
        let start = self.text.len();
        let compact = compact(names, mv, &mut self.text);
        self.push(compact, start, mv);
    }

    /// The move of `step`, rebuilt with the keys `names` gives.
    pub(crate) fn get(&self, names: &dyn Names, step: usize) -> Option<Move> {
        let Some(r) = step.checked_sub(self.shared.len()) else {
            return self.shared.get(step).cloned();
        };
        let record = *self.records.get(r)?;
        if record.tag == Tag::Whole {
            return self.whole.get(record.a as usize).cloned();
        }
        let mut text = Text(
            self.text
                .get(self.text_start(r)..record.text_end as usize)?,
        );
        let node = |i: u32| names.node_key(i).map(str::to_owned);
        let track = |i: u32| names.track_key(i).map(str::to_owned);
        let (a, b) = (record.a, record.b);
        let kind = match record.tag {
            Tag::SetPosition => MoveKind::SetPosition {
                article: node(a)?,
                position: match record.flags & POSITION {
                    0 => Position::NotStated,
                    1 => Position::Accepts,
                    _ => Position::Rejects,
                },
            },
            Tag::ProposeArticle => MoveKind::ProposeArticle {
                article: node(a)?,
                track: track(b)?,
                title: text.next()?,
            },
            Tag::AmendArticle => MoveKind::AmendArticle {
                article: node(a)?,
                title: text.next()?,
            },
            Tag::MoveArticle => MoveKind::MoveArticle {
                article: node(a)?,
                to_track: track(b)?,
            },
            Tag::ExcludeArticle => MoveKind::ExcludeArticle { article: node(a)? },
            Tag::Link => MoveKind::Link {
                condition: node(a)?,
                stage: node(b)?,
            },
            Tag::Unlink => MoveKind::Unlink {
                condition: node(a)?,
                stage: node(b)?,
            },
            Tag::Waive => MoveKind::Waive {
                condition: node(a)?,
            },
            Tag::Contest => MoveKind::Contest {
                condition: node(a)?,
            },
            Tag::Fulfil => MoveKind::Fulfil {
                condition: node(a)?,
            },
            Tag::Offer => MoveKind::Offer {
                concession: node(a)?,
            },
            Tag::Make => MoveKind::Make {
                concession: node(a)?,
            },
            Tag::Retract => MoveKind::Retract {
                concession: node(a)?,
            },
            Tag::Perform => MoveKind::Perform { stage: node(a)? },
            Tag::DeclareReady => MoveKind::DeclareReady { stage: node(a)? },
            Tag::Unrequire => MoveKind::Unrequire {
                node: node(a)?,
                required: node(b)?,
            },
            Tag::Record => MoveKind::Record {
                event: text.next()?,
                about: text.optional(record.flags & HAS_ABOUT)?,
            },
            Tag::Whole => return None,
        };
        let meta = MoveMeta {
            date: record.date,
            source: text.optional(record.flags & HAS_SOURCE)?,
            note: text.optional(record.flags & HAS_NOTE)?,
        };
        Some(Move {
            actor: names.party_key(record.actor)?.to_owned(),
            kind,
            meta,
        })
    }
}

/// An index no table reaches: an unused subject.
const NONE: u32 = u32::MAX;

/// The strings of one record, read in order.
struct Text<'a>(&'a [u8]);

impl Text<'_> {
    fn next(&mut self) -> Option<String> {
        let (len, rest) = self.0.split_first_chunk::<4>()?;
        let len = u32::from_le_bytes(*len) as usize;
        let (s, rest) = rest.split_at_checked(len)?;
        self.0 = rest;
        String::from_utf8(s.to_vec()).ok()
    }

    /// The next string if `present` (a flag bit), `Some(None)` if not.
    fn optional(&mut self, present: u8) -> Option<Option<String>> {
        if present == 0 {
            return Some(None);
        }
        self.next().map(Some)
    }
}

/// Appends `s` to a record's text.
fn put(text: &mut Vec<u8>, s: &str) -> Option<()> {
    text.extend_from_slice(&u32::try_from(s.len()).ok()?.to_le_bytes());
    text.extend_from_slice(s.as_bytes());
    Some(())
}

/// The record of `mv` (its `text_end` still to be set), its text appended to `text`; `None`
/// if the move is kept whole: a declaration, or an id that is not exactly a key `names`
/// knows (the caller then truncates `text`).
fn compact(names: &dyn Names, mv: &Move, text: &mut Vec<u8>) -> Option<Record> {
    let index = |i: u32| Some(i).filter(|&i| i != NONE);
    let node = |key: &str| names.node_index(key).and_then(index);
    let track = |key: &str| names.track_index(key).and_then(index);
    let actor = names.party_index(&mv.actor).and_then(index)?;
    let mut flags = 0;
    let one = |tag: Tag, a: &str| Some((tag, node(a)?, NONE));
    let (tag, a, b) = match &mv.kind {
        MoveKind::SetPosition { article, position } => {
            flags |= match position {
                Position::NotStated => 0,
                Position::Accepts => 1,
                Position::Rejects => 2,
            };
            one(Tag::SetPosition, article)?
        }
        MoveKind::ProposeArticle {
            article,
            track: t,
            title,
        } => {
            let record = (Tag::ProposeArticle, node(article)?, track(t)?);
            put(text, title)?;
            record
        }
        MoveKind::AmendArticle { article, title } => {
            let record = one(Tag::AmendArticle, article)?;
            put(text, title)?;
            record
        }
        MoveKind::MoveArticle { article, to_track } => {
            (Tag::MoveArticle, node(article)?, track(to_track)?)
        }
        MoveKind::ExcludeArticle { article } => one(Tag::ExcludeArticle, article)?,
        MoveKind::Link { condition, stage } => (Tag::Link, node(condition)?, node(stage)?),
        MoveKind::Unlink { condition, stage } => (Tag::Unlink, node(condition)?, node(stage)?),
        MoveKind::Waive { condition } => one(Tag::Waive, condition)?,
        MoveKind::Contest { condition } => one(Tag::Contest, condition)?,
        MoveKind::Fulfil { condition } => one(Tag::Fulfil, condition)?,
        MoveKind::Offer { concession } => one(Tag::Offer, concession)?,
        MoveKind::Make { concession } => one(Tag::Make, concession)?,
        MoveKind::Retract { concession } => one(Tag::Retract, concession)?,
        MoveKind::Perform { stage } => one(Tag::Perform, stage)?,
        MoveKind::DeclareReady { stage } => one(Tag::DeclareReady, stage)?,
        MoveKind::Unrequire { node: n, required } => (Tag::Unrequire, node(n)?, node(required)?),
        MoveKind::Record { event, about } => {
            put(text, event)?;
            if let Some(about) = about {
                flags |= HAS_ABOUT;
                put(text, about)?;
            }
            (Tag::Record, NONE, NONE)
        }
        MoveKind::Demand { .. }
        | MoveKind::Require { .. }
        | MoveKind::OpenTrack { .. }
        | MoveKind::Reschedule { .. }
        | MoveKind::Extend { .. } => return None,
    };
    if let Some(source) = &mv.meta.source {
        flags |= HAS_SOURCE;
        put(text, source)?;
    }
    if let Some(note) = &mv.meta.note {
        flags |= HAS_NOTE;
        put(text, note)?;
    }
    Some(Record {
        actor,
        a,
        b,
        text_end: 0,
        date: mv.meta.date,
        tag,
        flags,
    })
}

#[cfg(test)]
mod tests {
    use super::Record;

    /// The size the history's memory figures rest on (`BENCHMARKS.md`, *Memory*).
    #[test]
    fn a_record_is_24_bytes() {
        assert_eq!(std::mem::size_of::<Record>(), 24);
    }
}
