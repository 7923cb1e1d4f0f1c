//! One entry point for every report format.

use std::io::Write;

use super::{html, junit, markdown, write};
use crate::messages::Seal;
use crate::model::RunReport;

/// The JSON Schema of the JSON report (docs/report-schema.json is this, committed).
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(RunReport);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}
use crate::export::Delimiter;
use crate::model::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Json,
    Junit,
    Html,
    Markdown,
    /// The terminal summary, without colour.
    Text,
    /// The reconciliation sheet as CSV: per requirement OK / EJ OK / N/A and its evidence
    /// (docs/procurement.md).
    ReconciliationCsv,
    /// The reconciliation sheet as an xlsx workbook (to a file only).
    ReconciliationXlsx,
}

impl Format {
    pub fn parse(name: &str) -> Option<Format> {
        Some(match name {
            "json" => Format::Json,
            "junit" => Format::Junit,
            "html" => Format::Html,
            "markdown" | "md" => Format::Markdown,
            "text" => Format::Text,
            "reconciliation-csv" => Format::ReconciliationCsv,
            "reconciliation-xlsx" => Format::ReconciliationXlsx,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Junit => "junit",
            Format::Html => "html",
            Format::Markdown => "markdown",
            Format::Text => "text",
            Format::ReconciliationCsv => "reconciliation-csv",
            Format::ReconciliationXlsx => "reconciliation-xlsx",
        }
    }

    /// A format that is not text, which a terminal cannot show.
    pub fn is_binary(self) -> bool {
        self == Format::ReconciliationXlsx
    }
}

/// Renders a report. `seal` is what its signature says (shown prominently by the formats
/// people read). `suite` gives the lines of suite files, where they are at hand (a
/// run), for the text summary to show where a failed expectation is written; `delimiter`
/// separates the fields of `reconciliation-csv`.
pub fn render(
    format: Format,
    report: &RunReport,
    lang: Lang,
    suite: super::terminal::SuiteLines<'_>,
    seal: &Seal,
    delimiter: Delimiter,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => write::json(report, out),
        Format::Junit => junit::write(report, out),
        Format::Html => html::write(report, lang, seal, out),
        Format::Markdown => markdown::write(report, lang, seal, out),
        Format::Text => {
            super::terminal::summary(report, lang, super::terminal::Look::plain(120), suite, Some(seal), out)
        }
        Format::ReconciliationCsv => reconciliation_csv(report, lang, delimiter, out),
        Format::ReconciliationXlsx => {
            let table = crate::export::reconciliation::of_report(report, lang);
            out.write_all(&crate::export::xlsx(&table).map_err(std::io::Error::other)?)
        }
    }
}

/// The reconciliation sheet as CSV, fields separated by `delimiter`.
pub fn reconciliation_csv(
    report: &RunReport,
    lang: Lang,
    delimiter: Delimiter,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    crate::export::csv(&crate::export::reconciliation::of_report(report, lang), delimiter, out)
}
