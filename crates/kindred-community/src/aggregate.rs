//! Counts over members that are safe to show: nothing about fewer than [`MIN_MEMBERS`] members is
//! shown, so no figure can point at one person.

use serde::{Deserialize, Serialize};

use crate::vocab::Outcome;

/// The fewest members an aggregate may describe.
pub const MIN_MEMBERS: usize = 10;

/// How many members reported each outcome of one treatment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OutcomeTally {
    /// Members for whom it helped.
    pub helped: u32,
    /// Members who noticed no change.
    pub no_change: u32,
    /// Members for whom things got worse.
    pub worse: u32,
}

/// An outcome tally as it may be shown.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "status")]
pub enum OutcomeShare {
    /// Too few members to show anything, not even how many.
    Suppressed {
        /// Why, for people.
        reason: String,
    },
    /// Whole percentages that add up to 100.
    Shown {
        /// How many members reported an outcome.
        members: u64,
        /// Percentage for whom it helped.
        helped_pct: u32,
        /// Percentage who noticed no change.
        no_change_pct: u32,
        /// Percentage for whom things got worse.
        worse_pct: u32,
    },
}

impl OutcomeTally {
    /// Counts one report.
    pub fn add(&mut self, outcome: Outcome) {
        let count = match outcome {
            Outcome::Helped => &mut self.helped,
            Outcome::NoChange => &mut self.no_change,
            Outcome::Worse => &mut self.worse,
        };
        *count = count.saturating_add(1);
    }

    /// How many members reported an outcome.
    pub fn members(&self) -> u64 {
        u64::from(self.helped) + u64::from(self.no_change) + u64::from(self.worse)
    }

    /// The tally as it may be shown: suppressed under [`MIN_MEMBERS`] members, else whole
    /// percentages rounded by largest remainder so that they add up to exactly 100.
    pub fn share(&self) -> OutcomeShare {
        let members = self.members();
        if members < MIN_MEMBERS as u64 {
            return OutcomeShare::Suppressed {
                reason: format!("fewer than {MIN_MEMBERS} members reported an outcome, so none is shown"),
            };
        }
        let counts = [self.helped, self.no_change, self.worse].map(u64::from);
        let mut pcts = counts.map(|c| c * 100 / members);
        let mut remainders = counts.map(|c| c * 100 % members);
        let mut missing = 100 - pcts.iter().sum::<u64>();
        // Each missing point goes to the largest remainder left; ties go to the earlier outcome.
        while missing > 0 {
            let mut largest = 0;
            for i in 1..remainders.len() {
                if remainders[i] > remainders[largest] {
                    largest = i;
                }
            }
            pcts[largest] += 1;
            remainders[largest] = 0;
            missing -= 1;
        }
        let [helped_pct, no_change_pct, worse_pct] = pcts.map(|p| p as u32);
        OutcomeShare::Shown {
            members,
            helped_pct,
            no_change_pct,
            worse_pct,
        }
    }
}

impl FromIterator<Outcome> for OutcomeTally {
    fn from_iter<I: IntoIterator<Item = Outcome>>(outcomes: I) -> Self {
        let mut tally = OutcomeTally::default();
        for outcome in outcomes {
            tally.add(outcome);
        }
        tally
    }
}

/// How many members, as may be shown: `fewer than 10 members` under [`MIN_MEMBERS`], else e.g.
/// `1,234 members`.
pub fn member_count_label(n: u64) -> String {
    if n < MIN_MEMBERS as u64 {
        return format!("fewer than {MIN_MEMBERS} members");
    }
    format!("{} members", thousands(n))
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        for (n, text) in [
            (0, "0"),
            (999, "999"),
            (1_000, "1,000"),
            (12_345, "12,345"),
            (1_234_567, "1,234,567"),
            (u64::MAX, "18,446,744,073,709,551,615"),
        ] {
            assert_eq!(thousands(n), text);
        }
    }

    #[test]
    fn tally_from_outcomes() {
        let tally: OutcomeTally = [Outcome::Helped, Outcome::Worse, Outcome::Helped]
            .into_iter()
            .collect();
        assert_eq!(
            tally,
            OutcomeTally {
                helped: 2,
                no_change: 0,
                worse: 1
            }
        );
    }

    #[test]
    fn largest_remainder_ties_go_to_the_earlier_outcome() {
        let share = OutcomeTally {
            helped: 4,
            no_change: 4,
            worse: 4,
        }
        .share();
        assert_eq!(
            share,
            OutcomeShare::Shown {
                members: 12,
                helped_pct: 34,
                no_change_pct: 33,
                worse_pct: 33
            }
        );
    }
}
