//! What each kind of change asks of the vendor, and whether it breaks clients: one table,
//! documented row by row in docs/diff.md.
//!
//! The rule behind the table: what the vendor *reads* (requests) may only widen without
//! work for it (it must accept more), and what it *writes* (responses) may only narrow
//! without breaking clients (it must send less, or more precisely). So a widened request is
//! work for the vendor and harmless to clients; a narrowed request asks nothing of the vendor
//! (it may refuse more) but breaks clients; a narrowed response is work for the vendor and
//! harmless to clients; a widened response asks nothing of the vendor but may surprise
//! clients.

use crate::messages::{ChangeClass, ChangeKind, Level};

use ChangeClass::{MustChange as Must, NoAction as None_, ShouldChange as Should};

/// The class of a kind of change, and whether it breaks clients. Requirement changes take
/// their class from the requirement's level: see [`requirement_class`].
pub fn classify(kind: ChangeKind) -> (ChangeClass, bool) {
    use ChangeKind as K;
    match kind {
        K::OperationAdded => (Must, false),
        K::OperationRemoved => (None_, true),
        K::OperationMoved => (Must, true),
        K::OperationDeprecated => (None_, false),
        K::OperationIdChanged => (None_, false),
        K::SecurityAdded => (Must, true),
        K::SecurityRemoved => (Must, false),
        K::SecurityAlternativeAdded => (Must, false),
        K::SecurityAlternativeRemoved => (None_, true),
        K::SecurityScopeAdded => (None_, true),
        K::SecurityScopeRemoved => (Must, false),
        K::RequestParameterAdded => (Must, false),
        K::RequestParameterRequiredAdded => (Must, true),
        K::RequestParameterRemoved => (None_, true),
        K::RequestParameterBecameRequired => (None_, true),
        K::RequestParameterBecameOptional => (Must, false),
        K::RequestParameterStyleChanged => (Must, true),
        K::RequestBodyAdded => (Must, false),
        K::RequestBodyRequiredAdded => (Must, true),
        K::RequestBodyRemoved => (None_, true),
        K::RequestBodyBecameRequired => (None_, true),
        K::RequestBodyBecameOptional => (Must, false),
        K::RequestMediaTypeAdded => (Must, false),
        K::RequestMediaTypeRemoved => (None_, true),
        K::RequestPropertyAdded => (Must, false),
        K::RequestPropertyRequiredAdded => (Must, true),
        K::RequestPropertyRemoved => (None_, true),
        K::RequestPropertyBecameRequired => (None_, true),
        K::RequestPropertyBecameOptional => (Must, false),
        K::RequestPropertyDeprecated => (None_, false),
        K::RequestTypeWidened => (Must, false),
        K::RequestTypeNarrowed => (None_, true),
        K::RequestTypeChanged => (Must, true),
        K::RequestNullAdded => (Must, false),
        K::RequestNullRemoved => (None_, true),
        K::RequestEnumValueAdded => (Must, false),
        K::RequestEnumValueRemoved => (None_, true),
        K::RequestConstraintTightened => (None_, true),
        K::RequestConstraintLoosened => (Must, false),
        K::RequestConstraintChanged => (Must, true),
        K::RequestAlternativeAdded => (Must, false),
        K::RequestAlternativeRemoved => (None_, true),
        K::RequestDefaultChanged => (Must, true),
        K::ResponseStatusAdded => (None_, false),
        K::ResponseStatusRemoved => (Must, false),
        K::ResponseBodyAdded => (Must, false),
        K::ResponseBodyRemoved => (Must, true),
        K::ResponseMediaTypeAdded => (None_, false),
        K::ResponseMediaTypeRemoved => (Must, true),
        K::ResponseHeaderAdded => (Should, false),
        K::ResponseHeaderRequiredAdded => (Must, false),
        K::ResponseHeaderRemoved => (None_, true),
        K::ResponseHeaderBecameRequired => (Must, false),
        K::ResponseHeaderBecameOptional => (None_, true),
        K::ResponsePropertyAdded => (Should, false),
        K::ResponsePropertyRequiredAdded => (Must, false),
        K::ResponsePropertyRemoved => (Should, true),
        K::ResponsePropertyBecameRequired => (Must, false),
        K::ResponsePropertyBecameOptional => (None_, true),
        K::ResponsePropertyDeprecated => (None_, false),
        K::ResponseTypeWidened => (None_, true),
        K::ResponseTypeNarrowed => (Must, false),
        K::ResponseTypeChanged => (Must, true),
        K::ResponseNullAdded => (None_, true),
        K::ResponseNullRemoved => (Must, false),
        K::ResponseEnumValueAdded => (None_, true),
        K::ResponseEnumValueRemoved => (Must, false),
        K::ResponseConstraintTightened => (Must, false),
        K::ResponseConstraintLoosened => (None_, true),
        K::ResponseConstraintChanged => (Must, true),
        K::ResponseAlternativeAdded => (None_, true),
        K::ResponseAlternativeRemoved => (Must, false),
        K::RequirementAdded | K::RequirementLevelRaised => (Should, false),
        K::RequirementRemoved | K::RequirementLevelLowered => (None_, false),
        K::RequirementTextChanged => (Should, false),
        K::ScenarioAdded | K::ScenarioChanged => (Should, false),
        K::ScenarioRemoved => (None_, false),
    }
}

/// A requirement that is new, or raised to a level: SKALL is work the vendor must do, BÖR
/// work it should do, KAN nothing it has to do.
pub fn requirement_class(level: Level) -> ChangeClass {
    match level {
        Level::Must => Must,
        Level::Should => Should,
        Level::May => None_,
    }
}
