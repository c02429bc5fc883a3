//! The builder: specifications of parties, tracks, articles, conditions and concessions, and
//! their validation into a [`Negotiation`].

mod builder;
mod error;
mod spec;
mod validate;

pub use builder::NegotiationBuilder;
pub use error::BuildError;
pub use spec::{
    ArticleSpec, BasisSpec, ConcessionSpec, ConditionSpec, Needs, PartySpec, RequirementSpec,
    StageSpec, TopicSpec, TrackSpec,
};
pub(crate) use validate::ReqTarget;
