//! The renderers of the run model (`crate::model`). Renderers write to any `Write`; files are written to a
//! temporary name and renamed into place.

pub mod certificate;
pub mod failures;
pub mod html;
pub mod junit;
pub mod markdown;
pub mod read;
pub mod render;
pub mod sign;
pub mod since;
pub mod stable;
pub mod terminal;
pub mod write;
