//! What konform says about processes (catalogue pages, the requirements and scenarios it
//! derives from a process for `konform run`), as data; the text is in `en.rs` and `sv.rs`
//! (`process_text`), like every other message.

/// A text about a process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProcessText {
    /// What a process is: "Process".
    Kind,
    /// `case-handling 1.0.0 — Handling a case (process)`.
    Heading {
        name: String,
    },
    /// The specification versions implementing it.
    ImplementedBy {
        specs: Vec<String>,
    },
    ImplementedByNone,
    StatesHeading,
    TransitionsHeading,
    /// The heading of a specification's mapping on a process page.
    Mapping {
        spec: String,
    },
    /// Column headings.
    StateColumn,
    TransitionColumn,
    FromColumn,
    ToColumn,
    ActorColumn,
    OperationColumn,
    StatusValueColumn,
    Initial,
    Final,
    /// A transition with no `to`: the case stays where it is.
    Stays,
    /// A transition that creates the case: no state before it.
    Creates,
    /// A transition a specification says happens outside its API.
    Outside {
        why: String,
    },
    /// The title of the derived requirement that an allowed transition works.
    ReachTitle {
        transition: String,
    },
    /// Its text.
    ReachText {
        process: String,
        transition: String,
        operation: String,
        from: Vec<String>,
        to: Option<String>,
    },
    /// The title of the derived requirement that a transition is refused where the process
    /// does not allow it.
    RefuseTitle {
        transition: String,
    },
    RefuseText {
        process: String,
        transition: String,
        operation: String,
        status: u16,
    },
    /// The title of a derived scenario reaching a transition from a state.
    ReachScenario {
        transition: String,
        from: Option<String>,
    },
    /// The title of a derived scenario trying an operation in a state that forbids it.
    RefuseScenario {
        operation: String,
        state: String,
    },
    /// One process in the human catalogue list.
    Listed {
        process: String,
        title: String,
        states: usize,
        users: usize,
    },
    /// The heading of the catalogue list's processes.
    Processes,
    /// The heading of the catalogue list's column of implementing specifications.
    ImplementedByColumn,
}
