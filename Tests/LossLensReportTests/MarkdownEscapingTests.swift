import XCTest
@_spi(Layers) @testable import LossLensReport

final class MarkdownEscapingTests: XCTestCase {
    func testTextEscapesHTMLAndMarkdownPunctuation() {
        XCTAssertEqual(Markdown.text("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;")
        XCTAssertEqual(Markdown.text("a|b `c` *d* _e_ [f](g) #h ~i~ $j$ ![k]"),
                       "a\\|b \\`c\\` \\*d\\* \\_e\\_ \\[f\\](g) \\#h \\~i\\~ \\$j\\$ !\\[k\\]")
        XCTAssertEqual(Markdown.text("AT&T"), "AT&amp;T")
    }

    func testUnderscoresInsideWordsStayReadable() {
        XCTAssertEqual(Markdown.text("val_loss rose"), "val_loss rose")
        XCTAssertEqual(Markdown.text("_private val_ x_"), "\\_private val\\_ x\\_")
    }

    func testParagraphsCannotBecomeListsOrHeadings() {
        XCTAssertEqual(Markdown.paragraph("- not a list"), "\\- not a list")
        XCTAssertEqual(Markdown.paragraph("  + indented"), "\\+ indented")
        XCTAssertEqual(Markdown.paragraph("12. not ordered"), "12\\. not ordered")
        XCTAssertEqual(Markdown.paragraph("3) nor this"), "3\\) nor this")
        XCTAssertEqual(Markdown.paragraph("=== "), "\\=== ")
        XCTAssertEqual(Markdown.paragraph("Loss fell 3.5 points"), "Loss fell 3.5 points")
    }

    func testTextFoldsLineBreaksSoALogLineCannotStartABlock() {
        XCTAssertEqual(Markdown.text("loss\n---\n# title\r\n- item"), "loss --- \\# title - item")
    }

    func testTerminalEscapesAndControlCharactersAreDropped() {
        XCTAssertEqual(Markdown.text("\u{1B}[1;31mred\u{1B}[0m"), "red")
        XCTAssertEqual(Markdown.text("\u{1B}]0;title\u{07}after"), "after")
        XCTAssertEqual(Markdown.text("\u{1B}]8;;http://x\u{1B}\\link"), "link")
        XCTAssertEqual(Markdown.text("a\u{00}b\u{08}c\u{202E}d\te"), "abcd e")
    }

    func testCellKeepsPipesFromEndingTheCell() {
        XCTAssertEqual(Markdown.cell("a|b"), "a\\|b")
    }

    func testCodeSpansCannotBeClosedEarly() {
        XCTAssertEqual(Markdown.code("a`b"), "aˋb")
        XCTAssertEqual(Markdown.code("line1\nline2"), "line1 line2")
        XCTAssertEqual(Markdown.code(""), " ")
        XCTAssertEqual(Markdown.codeCell("x|y"), "x\\|y")
    }

    func testFencesAreLongerThanAnyBacktickRunInside() {
        XCTAssertEqual(Markdown.fenced("print(1)", language: "python"), ["```python", "print(1)", "```"])
        XCTAssertEqual(Markdown.fenced("a ```` b\nc"), ["`````", "a ```` b", "c", "`````"])
    }

    func testHTMLEscapingForSummaries() {
        XCTAssertEqual(Markdown.html("<b a=\"1\">&"), "&lt;b a=&quot;1&quot;&gt;&amp;")
    }
}
