//! Typed ids, so a post id can never be passed where a member id is meant.

use serde::{Deserialize, Serialize};

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id!(
    /// A member (an account).
    MemberId
);
id!(
    /// A post or reply.
    PostId
);
id!(
    /// A report of a post to the moderators.
    ReportId
);
id!(
    /// A tracker record (diary entry, injection or medicine).
    RecordId
);
