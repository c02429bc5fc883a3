//! Typed views of what a negotiation holds, with their handles, and the iterators that yield
//! them: [`Negotiation::parties`], [`tracks`](Negotiation::tracks),
//! [`topics`](Negotiation::topics), [`articles`](Negotiation::articles),
//! [`conditions`](Negotiation::conditions), [`concessions`](Negotiation::concessions),
//! [`stages`](Negotiation::stages) and [`acts`](Negotiation::acts), each in id order.
//!
//! A view dereferences to the data it shows ([`Party`], [`Article`], …), so the data's own
//! accessors (`name`, `title`, `track`, `position`, …) are the view's; the view adds the
//! handle ([`id`](PartyRef::id)) and, for nodes, what the negotiation knows about the node
//! (its key, status, whether it is satisfied or blocked).

use std::fmt;
use std::ops::Deref;

use crate::ids::{NodeId, PartyId, TopicId, TrackId};
use crate::model::{
    Act, Article, Concession, Condition, NodeData, Party, Stage, Status, Topic, Track,
};
use crate::state::Negotiation;

macro_rules! view {
    ($(#[$doc:meta])* $name:ident, $id:ident, $data:ident) => {
        $(#[$doc])*
        ///
        /// Dereferences to the data, so its accessors (`key`, and the rest) are the view's.
        #[derive(Clone, Copy)]
        pub struct $name<'a> {
            id: $id,
            data: &'a $data,
        }

        impl<'a> $name<'a> {
            /// Its handle.
            pub fn id(&self) -> $id {
                self.id
            }
            /// The data, borrowed for as long as the negotiation.
            pub fn data(&self) -> &'a $data {
                self.data
            }
        }

        impl Deref for $name<'_> {
            type Target = $data;
            fn deref(&self) -> &$data {
                self.data
            }
        }

        impl fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("id", &self.id)
                    .field("data", self.data)
                    .finish()
            }
        }
    };
}

view!(
    /// A party with its handle; see [`Negotiation::parties`].
    PartyRef,
    PartyId,
    Party
);
view!(
    /// A track with its handle; see [`Negotiation::tracks`].
    TrackRef,
    TrackId,
    Track
);
view!(
    /// A topic with its handle; see [`Negotiation::topics`].
    TopicRef,
    TopicId,
    Topic
);

/// A node of one kind (`T`: [`Article`], [`Condition`], [`Concession`], [`Stage`], [`Act`])
/// with its handle and its negotiation: its key, status, and whether it is satisfied or
/// blocked. Dereferences to the node's data, so its accessors (`title`, `track`,
/// `owed_by`, …) are the view's. See [`ArticleRef`] and the other aliases.
#[derive(Clone, Copy)]
pub struct NodeView<'a, T> {
    id: NodeId,
    neg: &'a Negotiation,
    data: &'a T,
}

/// An article with its handle; see [`Negotiation::articles`].
pub type ArticleRef<'a> = NodeView<'a, Article>;
/// A condition with its handle; see [`Negotiation::conditions`].
pub type ConditionRef<'a> = NodeView<'a, Condition>;
/// A concession with its handle; see [`Negotiation::concessions`].
pub type ConcessionRef<'a> = NodeView<'a, Concession>;
/// A stage with its handle; see [`Negotiation::stages`].
pub type StageRef<'a> = NodeView<'a, Stage>;
/// An act with its handle; see [`Negotiation::acts`].
pub type ActRef<'a> = NodeView<'a, Act>;

impl<'a, T> NodeView<'a, T> {
    /// Its handle.
    #[must_use]
    pub fn id(&self) -> NodeId {
        self.id
    }
    /// Its key (`"peace.signed"`).
    #[must_use]
    pub fn key(&self) -> &'a str {
        self.neg.key_of(self.id)
    }
    /// Its status.
    #[must_use]
    pub fn status(&self) -> Status {
        self.neg.status_of(self.id)
    }
    /// Whether it is satisfied ([`Negotiation::is_satisfied`]).
    #[must_use]
    pub fn is_satisfied(&self) -> bool {
        self.neg.satisfied(self.id)
    }
    /// Whether it is blocked ([`Negotiation::is_blocked`]).
    #[must_use]
    pub fn is_blocked(&self) -> bool {
        self.neg.blocked(self.id)
    }
    /// The node's data, borrowed for as long as the negotiation.
    #[must_use]
    pub fn data(&self) -> &'a T {
        self.data
    }
}

impl<T> Deref for NodeView<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.data
    }
}

impl<T: fmt::Debug> fmt::Debug for NodeView<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NodeView")
            .field("id", &self.id)
            .field("key", &self.key())
            .field("data", self.data)
            .finish()
    }
}

/// Accessors of the data that return borrows for as long as the negotiation (through
/// `Deref` they would borrow the view), delegating to the data's own.
macro_rules! lasting {
    ($view:ident<$data:ident> { $($(#[$doc:meta])* $fn:ident -> $ret:ty;)* }) => {
        impl<'a> $view<'a> {
            $($(#[$doc])*
            pub fn $fn(&self) -> $ret {
                let data: &'a $data = self.data;
                data.$fn()
            })*
        }
    };
}

lasting!(PartyRef<Party> {
    /// Its id (`"armenia"`).
    key -> &'a str;
    /// Its display name (`"Armenia"`).
    name -> &'a str;
    /// Its default role.
    role -> crate::Role;
});
lasting!(TrackRef<Track> {
    /// Its id (`"peace"`).
    key -> &'a str;
    /// Its title.
    title -> &'a str;
    /// Its principals.
    principals -> &'a [PartyId];
    /// Its stages, in order.
    stages -> &'a [NodeId];
});
lasting!(TopicRef<Topic> {
    /// Its id.
    key -> &'a str;
    /// Its title.
    title -> &'a str;
});
lasting!(ArticleRef<Article> {
    /// Its title or text.
    title -> &'a str;
    /// The track it currently belongs to.
    track -> TrackId;
    /// Whether it was dropped from every text.
    is_excluded -> bool;
});
lasting!(ConditionRef<Condition> {
    /// What must become true.
    description -> &'a str;
    /// The parties whose act makes it true.
    owed_by -> &'a [PartyId];
    /// The party that demands it, if it is a demand.
    demanded_by -> Option<PartyId>;
});
lasting!(ConcessionRef<Concession> {
    /// What the concession is.
    description -> &'a str;
    /// The conceding party.
    by -> PartyId;
});
lasting!(StageRef<Stage> {
    /// Its track.
    track -> TrackId;
    /// Its kind.
    kind -> &'a crate::StageKind;
});
lasting!(ActRef<Act> {
    /// The stage it is part of.
    stage -> NodeId;
    /// The acting party.
    party -> PartyId;
    /// Whether it is performed.
    is_performed -> bool;
});

/// The nodes of one kind, as views, in id order.
fn nodes_of<'a, T: 'a>(
    neg: &'a Negotiation,
    pick: impl Fn(&'a NodeData) -> Option<&'a T> + 'a,
) -> impl DoubleEndedIterator<Item = NodeView<'a, T>> + 'a {
    neg.nodes.iter().enumerate().filter_map(move |(i, node)| {
        pick(&node.data).map(|data| NodeView {
            id: neg.node_handle(i),
            neg,
            data,
        })
    })
}

impl Negotiation {
    /// The parties, in id order (as declared).
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::{Negotiation, Role, StageKind, TrackSpec};
    ///
    /// let neg = Negotiation::builder()
    ///     .party("a", "Party A", Role::Principal)
    ///     .party("un", "United Nations", Role::Mediator)
    ///     .track(TrackSpec::new("deal", "The deal", ["a"]).stage(StageKind::Signed))
    ///     .build()?;
    /// let names: Vec<&str> = neg.parties().map(|p| p.name()).collect();
    /// assert_eq!(names, ["Party A", "United Nations"]);
    /// let un = neg.parties().find(|p| p.role() == Role::Mediator).unwrap();
    /// assert_eq!((un.key(), Some(un.id())), ("un", neg.party_id("un")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn parties(&self) -> impl ExactSizeIterator<Item = PartyRef<'_>> + DoubleEndedIterator {
        self.parties.iter().enumerate().map(|(i, data)| PartyRef {
            id: self.party_handle(i),
            data,
        })
    }

    /// The tracks, in id order (declared, then opened by moves).
    #[must_use]
    pub fn tracks(&self) -> impl ExactSizeIterator<Item = TrackRef<'_>> + DoubleEndedIterator {
        self.tracks.iter().enumerate().map(|(i, data)| TrackRef {
            id: self.track_handle(i),
            data,
        })
    }

    /// The topics, in id order (as declared).
    #[must_use]
    pub fn topics(&self) -> impl ExactSizeIterator<Item = TopicRef<'_>> + DoubleEndedIterator {
        self.topics.iter().enumerate().map(|(i, data)| TopicRef {
            id: self.topic_handle(i),
            data,
        })
    }

    /// The articles, excluded ones included, in id order.
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::{ArticleSpec, Move, Negotiation, Position, Role, StageKind, TrackSpec};
    ///
    /// let mut neg = Negotiation::builder()
    ///     .party("a", "A", Role::Principal)
    ///     .party("b", "B", Role::Principal)
    ///     .track(TrackSpec::new("deal", "The deal", ["a", "b"]).stage(StageKind::Signed))
    ///     .article(ArticleSpec::new("price", "deal", "Price"))
    ///     .article(ArticleSpec::new("term", "deal", "Term"))
    ///     .build()?;
    /// neg.apply(&Move::accept("a", "price"))?;
    /// neg.apply(&Move::accept("b", "price"))?;
    /// let open: Vec<&str> = neg.articles().filter(|a| !a.is_satisfied()).map(|a| a.key()).collect();
    /// assert_eq!(open, ["term"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Complexity
    ///
    /// A pass over the nodes (so are the other node iterators).
    #[must_use]
    pub fn articles(&self) -> impl DoubleEndedIterator<Item = ArticleRef<'_>> {
        nodes_of(self, |d| match d {
            NodeData::Article(a) => Some(a),
            _ => None,
        })
    }

    /// The conditions, in id order (declared, then demanded by moves).
    #[must_use]
    pub fn conditions(&self) -> impl DoubleEndedIterator<Item = ConditionRef<'_>> {
        nodes_of(self, |d| match d {
            NodeData::Condition(c) => Some(c),
            _ => None,
        })
    }

    /// The concessions, in id order.
    #[must_use]
    pub fn concessions(&self) -> impl DoubleEndedIterator<Item = ConcessionRef<'_>> {
        nodes_of(self, |d| match d {
            NodeData::Concession(c) => Some(c),
            _ => None,
        })
    }

    /// The stages of every track, in id order (a track's stages in their order).
    #[must_use]
    pub fn stages(&self) -> impl DoubleEndedIterator<Item = StageRef<'_>> {
        nodes_of(self, |d| match d {
            NodeData::Stage(s) => Some(s),
            _ => None,
        })
    }

    /// The acts (each performer's part of a stage), in id order.
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::{Negotiation, Role, StageKind, TrackSpec};
    ///
    /// let neg = Negotiation::builder()
    ///     .party("a", "A", Role::Principal)
    ///     .party("b", "B", Role::Principal)
    ///     .track(TrackSpec::new("deal", "The deal", ["a", "b"]).stage(StageKind::Signed))
    ///     .build()?;
    /// let pending: Vec<(&str, &str)> = neg
    ///     .acts()
    ///     .filter(|act| !act.is_performed())
    ///     .map(|act| (act.key(), neg.party(act.party()).unwrap().name()))
    ///     .collect();
    /// assert_eq!(pending, [("deal.signed.a", "A"), ("deal.signed.b", "B")]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn acts(&self) -> impl DoubleEndedIterator<Item = ActRef<'_>> {
        nodes_of(self, |d| match d {
            NodeData::Act(a) => Some(a),
            _ => None,
        })
    }
}
