//! What `konform lint` says around its findings: headings, counts and summaries, as data;
//! their text is in `en.rs` and `sv.rs` (`lint`), like every other message.

/// A text of `konform lint`'s output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LintText {
    /// The last line of the human format: how many findings of each level, in how many rules.
    Summary { file: String, must: usize, should: usize, rules: usize },
    /// The last line when nothing was found.
    Clean { file: String },
    /// The rules left out by `--ignore` or the lint settings file.
    Ignored { rules: Vec<String> },
    /// How many findings a rule has (JUnit's failure message).
    Violations { count: usize },
    /// The hint under the compact list: the snippet view and the rules' documentation.
    MoreDetail,
    /// A finding whose place in the document could not be found.
    NoPosition,
}
