//! Procurement exports: tables a procurement officer pastes into a tender or a
//! reconciliation sheet (docs/procurement.md). Each export builds one [`Table`] from the
//! model; the writers here turn any table into CSV (for Excel in Sweden: UTF-8 with a byte
//! order mark, `;` between fields by default) or an xlsx workbook.

pub mod reconciliation;
pub mod requirements;

use std::io::Write;

/// A sheet: a heading row and rows of text cells, as wide as the heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The worksheet's name in an xlsx workbook (at most 31 characters, no `[]:*?/\`).
    pub sheet: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The field separator of a CSV export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Delimiter {
    /// `;`: what Excel expects where the decimal separator is a comma (Swedish settings).
    #[default]
    Semicolon,
    /// `,`: RFC 4180, for Excel in English settings and most other programs.
    Comma,
    /// A tab.
    Tab,
}

impl Delimiter {
    fn byte(self) -> u8 {
        match self {
            Delimiter::Semicolon => b';',
            Delimiter::Comma => b',',
            Delimiter::Tab => b'\t',
        }
    }
}

/// The byte order mark Excel needs to read a CSV file as UTF-8 (without it, `å`, `ä` and
/// `ö` come out as two characters each).
const BOM: &[u8] = "\u{feff}".as_bytes();

/// A cell Excel would take for a formula (`=`, `+`, `-`, `@` first) gets a `'` in front,
/// so that text from a report never runs as one (CSV injection). xlsx cells are written as
/// strings and need no such guard.
fn guarded(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// The table as CSV: a byte order mark, the heading row, then the rows; lines end in CRLF
/// (RFC 4180) and fields are quoted only when they must be.
pub fn csv(table: &Table, delimiter: Delimiter, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(BOM)?;
    let mut w =
        csv::WriterBuilder::new().delimiter(delimiter.byte()).terminator(csv::Terminator::CRLF).from_writer(out);
    w.write_record(&table.header)?;
    for row in &table.rows {
        w.write_record(row.iter().map(|c| guarded(c).into_owned()))?;
    }
    w.flush()
}

/// The widest a column gets, in characters: longer text wraps in its cell.
const MAX_WIDTH: usize = 60;

/// A column as wide as its longest line (at least its heading's, at most [`MAX_WIDTH`]).
fn width(table: &Table, col: usize) -> f64 {
    let longest = std::iter::once(&table.header[col])
        .chain(table.rows.iter().filter_map(|r| r.get(col)))
        .flat_map(|c| c.lines())
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0);
    (longest.clamp(6, MAX_WIDTH) + 2) as f64
}

/// The table as an xlsx workbook of one sheet: the heading row bold and frozen, with a
/// filter; columns as wide as their text up to a limit, text wrapped and at the top of its cell.
pub fn xlsx(table: &Table) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, FormatAlign, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(&table.sheet)?;
    let heading = Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Top);
    let body = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    for (c, h) in table.header.iter().enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, h, &heading)?;
        sheet.set_column_width(c, width(table, c.into()))?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string_with_format(r as u32 + 1, c as u16, cell, &body)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    if let Some(last) = table.header.len().checked_sub(1) {
        sheet.autofilter(0, 0, table.rows.len() as u32, last as u16)?;
    }
    book.save_to_buffer()
}

/// A name Excel accepts for a worksheet: at most 31 characters, none of `[]:*?/\`.
pub fn sheet_name(name: &str) -> String {
    name.chars().map(|c| if "[]:*?/\\".contains(c) { '_' } else { c }).take(31).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            sheet: "t".into(),
            header: vec!["Krav".into(), "Text".into()],
            rows: vec![vec!["R1".into(), "=SUM(A1)".into()], vec!["R2".into(), "Åtgärd; \"citat\"".into()]],
        }
    }

    #[test]
    fn csv_has_a_bom_semicolons_crlf_and_guards_formulas() {
        let mut out = Vec::new();
        csv(&table(), Delimiter::Semicolon, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "\u{feff}Krav;Text\r\nR1;'=SUM(A1)\r\nR2;\"Åtgärd; \"\"citat\"\"\"\r\n");
    }

    #[test]
    fn sheet_names_lose_what_excel_refuses() {
        assert_eq!(sheet_name("case-intake 1.1.0 [x]/y"), "case-intake 1.1.0 _x__y");
        assert_eq!(sheet_name(&"a".repeat(40)).len(), 31);
    }
}
