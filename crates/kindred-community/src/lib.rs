//! The patient community's domain: profiles, who may see what, Alikes (similar members),
//! posts' Markdown, and aggregate outcomes that never single anyone out.
//!
//! Pure: no IO, no SQL, no HTTP. `kindred-store` persists the types defined here,
//! `kindred-auth` decides who the [`profile::Viewer`] is, and the web layer renders what this
//! crate returns.
//!
//! Privacy invariants, each enforced here rather than by callers:
//! - a profile field is shown only as its [`vocab::Visibility`] allows ([`profile::Profile::visible_to`]);
//! - private fields never enter the Alikes index ([`alikes::AlikeFeatures::shared`]), so they can
//!   neither make a match nor appear as a reason;
//! - aggregates over fewer than [`aggregate::MIN_MEMBERS`] members are suppressed;
//! - Markdown from members is sanitised to a short allow-list of tags ([`markdown::render`]).
//!
//! ```
//! use kindred_community::alikes::{AlikeFeatures, AlikeIndex};
//! use kindred_community::profile::{ConditionChoice, Profile};
//! use kindred_community::vocab::Visibility;
//!
//! let mut profile = Profile::default();
//! profile.open_to_matching = true;
//! profile.conditions.value.push(ConditionChoice {
//!     condition: "dystonia".into(),
//!     subtype: Some("cervical-dystonia".into()),
//! });
//! profile.conditions.visibility = Visibility::Members;
//! profile.validate()?;
//!
//! let mut index = AlikeIndex::new();
//! index.upsert(1, &AlikeFeatures::shared(&profile));
//! index.upsert(2, &AlikeFeatures::shared(&profile));
//! let alikes = index.top(&AlikeFeatures::own(&profile), 1, 20);
//! assert_eq!(alikes[0].member, 2);
//! # Ok::<(), kindred_community::Error>(())
//! ```

pub mod aggregate;
pub mod alikes;
mod error;
pub mod markdown;
pub mod profile;
pub mod synthetic;
pub mod vocab;

pub use error::Error;
