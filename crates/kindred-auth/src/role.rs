//! Roles and what each may do beyond a member's own data.

use serde::{Deserialize, Serialize};

/// A member's role. The least privilege wins: a new account is a member, and no role can read
/// another member's private fields or tracker data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Reads and writes their own data, reads what others share with members, posts and reports.
    #[default]
    Member,
    /// Also sees reports, hides and restores posts, and reads the moderation audit log.
    Moderator,
    /// Also appoints and removes moderators.
    Admin,
}

impl Role {
    /// The stored key.
    pub fn key(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Moderator => "moderator",
            Role::Admin => "admin",
        }
    }

    /// The role a stored key names.
    pub fn from_key(key: &str) -> Option<Role> {
        match key {
            "member" => Some(Role::Member),
            "moderator" => Some(Role::Moderator),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    /// May hide and restore posts, read reports and the audit log.
    pub fn can_moderate(self) -> bool {
        self >= Role::Moderator
    }

    /// May change other members' roles.
    pub fn can_appoint(self) -> bool {
        self == Role::Admin
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn privileges_grow_with_role() {
        assert!(!Role::Member.can_moderate() && !Role::Member.can_appoint());
        assert!(Role::Moderator.can_moderate() && !Role::Moderator.can_appoint());
        assert!(Role::Admin.can_moderate() && Role::Admin.can_appoint());
        for role in [Role::Member, Role::Moderator, Role::Admin] {
            assert_eq!(Role::from_key(role.key()), Some(role));
        }
        assert_eq!(Role::default(), Role::Member);
    }
}
