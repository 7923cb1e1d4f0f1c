//! What `konform diff` and `catalogue show` say about information models, as data; the
//! text is in `en.rs` and `sv.rs` (`model_text`), like every other message.

/// A text about an information model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelText {
    /// The heading of a model's page or diff: `attachment 1.0.0 → 1.1.0 (information model)`.
    Heading {
        name: String,
    },
    /// The specification versions using a model version.
    UsedBy {
        specs: Vec<String>,
    },
    /// No specification version uses it.
    UsedByNone,
    /// How many specification versions adopting the new version affects.
    Affects {
        old: String,
        new: String,
        count: usize,
    },
    /// No specification uses the old version, so adopting the new one affects none.
    AffectsNone {
        old: String,
    },
    /// One affected specification version, as the section heading of its changes.
    Adopting {
        spec: String,
        new: String,
    },
    /// The specification versions already on the new version.
    Already {
        new: String,
        specs: Vec<String>,
    },
    /// The model's own changes, before what they mean for each specification.
    ConceptChanges {
        count: usize,
    },
    ConceptAdded {
        concept: String,
    },
    ConceptRemoved {
        concept: String,
    },
    PropertyAdded {
        concept: String,
        property: String,
        required: bool,
    },
    PropertyRemoved {
        concept: String,
        property: String,
    },
    PropertyTypeChanged {
        concept: String,
        property: String,
        old: String,
        new: String,
    },
    PropertyBecameRequired {
        concept: String,
        property: String,
    },
    PropertyBecameOptional {
        concept: String,
        property: String,
    },
    DefinitionChanged {
        concept: String,
        property: Option<String>,
    },
    /// A concept's heading on a model page; `key` names what identifies it.
    Concept {
        name: String,
        key: Vec<String>,
    },
    /// The marker for a required property in a model page.
    Required,
    /// What a model is: "Information model".
    Kind,
    /// The heading of a model page's property column.
    PropertyColumn,
    /// The heading of the catalogue list's models.
    Models,
    /// The heading of the catalogue list's column of concepts.
    ConceptsColumn,
    /// The heading of the catalogue list's column of the specifications using a model.
    UsedByColumn,
    /// One model in the human catalogue list.
    Listed {
        model: String,
        title: String,
        concepts: Vec<String>,
        users: usize,
    },
}
