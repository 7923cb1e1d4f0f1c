//! The run model and its renderers. Renderers write to any `Write`; files are written to a
//! temporary name and renamed into place.

pub mod model;
pub mod redact;
pub mod terminal;
pub mod write;
