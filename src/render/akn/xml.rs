//! A thin layer over quick-xml's writer: elements opened and closed by name, blocks on
//! lines of their own, inline content left exactly as it is.
//!
//! quick-xml's own indentation breaks the line before every element that follows
//! another, which would add spaces inside mixed content (`<p>Se <ref>5 §</ref></p>`);
//! here only block elements are indented, and text is never touched.

use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

pub struct Xml {
    writer: Writer<Vec<u8>>,
    /// Open elements, innermost last, and whether each is a block.
    open: Vec<(&'static str, bool)>,
}

impl Xml {
    pub fn new() -> io::Result<Xml> {
        let mut writer = Writer::new(Vec::with_capacity(64 * 1024));
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        Ok(Xml {
            writer,
            open: Vec::new(),
        })
    }

    fn indent(&mut self) -> io::Result<()> {
        // Whitespace between blocks only: inside a block that holds text, it would
        // become part of the text.
        if self.open.last().is_none_or(|&(_, block)| block) {
            let spaces = "\n".to_string() + &"  ".repeat(self.open.len());
            self.writer
                .write_event(Event::Text(BytesText::from_escaped(spaces)))?;
        }
        Ok(())
    }

    fn start<'a>(name: &'a str, attributes: &[(&'a str, &'a str)]) -> BytesStart<'a> {
        BytesStart::new(name).with_attributes(attributes.iter().copied())
    }

    /// Opens an element whose children are elements (written on lines of their own).
    pub fn block(&mut self, name: &'static str, attributes: &[(&str, &str)]) -> io::Result<()> {
        self.indent()?;
        self.writer
            .write_event(Event::Start(Self::start(name, attributes)))?;
        self.open.push((name, true));
        Ok(())
    }

    /// Opens an element that holds text (`p`, `num`, `heading`) or sits inside text.
    pub fn inline(&mut self, name: &'static str, attributes: &[(&str, &str)]) -> io::Result<()> {
        self.indent()?;
        self.writer
            .write_event(Event::Start(Self::start(name, attributes)))?;
        self.open.push((name, false));
        Ok(())
    }

    /// Closes the innermost open element.
    pub fn close(&mut self) -> io::Result<()> {
        let Some((name, block)) = self.open.pop() else {
            return Ok(());
        };
        if block {
            let spaces = "\n".to_string() + &"  ".repeat(self.open.len());
            self.writer
                .write_event(Event::Text(BytesText::from_escaped(spaces)))?;
        }
        self.writer.write_event(Event::End(BytesEnd::new(name)))
    }

    /// An element without content.
    pub fn empty(&mut self, name: &'static str, attributes: &[(&str, &str)]) -> io::Result<()> {
        self.indent()?;
        self.writer
            .write_event(Event::Empty(Self::start(name, attributes)))
    }

    /// An element holding only `text`.
    pub fn leaf(
        &mut self,
        name: &'static str,
        attributes: &[(&str, &str)],
        text: &str,
    ) -> io::Result<()> {
        self.inline(name, attributes)?;
        self.text(text)?;
        self.close()
    }

    /// Text, escaped.
    pub fn text(&mut self, text: &str) -> io::Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        self.writer.write_event(Event::Text(BytesText::new(text)))
    }

    pub fn finish(mut self) -> io::Result<Vec<u8>> {
        while !self.open.is_empty() {
            self.close()?;
        }
        let mut bytes = self.writer.into_inner();
        bytes.push(b'\n');
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::Xml;

    #[test]
    fn blocks_are_indented_and_text_is_escaped_and_left_alone() {
        let mut xml = Xml::new().unwrap();
        xml.block("a", &[("x", "1 & \"2\"")]).unwrap();
        xml.inline("p", &[]).unwrap();
        xml.text("Se ").unwrap();
        xml.leaf("ref", &[("href", "#s")], "5 § <b>").unwrap();
        xml.text(" här").unwrap();
        xml.close().unwrap();
        xml.empty("e", &[]).unwrap();
        let text = String::from_utf8(xml.finish().unwrap()).unwrap();
        assert_eq!(
            text,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a x=\"1 &amp; &quot;2&quot;\">\n  <p>Se <ref href=\"#s\">5 § &lt;b&gt;</ref> här</p>\n  <e/>\n</a>\n"
        );
    }
}
