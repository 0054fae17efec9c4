package sh.reform.status.bulletin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

import sh.reform.schema.bulletin.IssuedBulletin;

/**
 * A bulletin as PDF (A4, PDFBox): every section as a table with wrapped cells, Chinese text in Noto Sans SC (shipped
 * as a subset under the SIL Open Font License, {@code resources/fonts}), embedded as a subset of the glyphs used.
 * Every page carries the batch, the period and the issue date in its header, and "第 n 页 / 共 m 页" in its footer.
 */
final class BulletinPdf {

    static final String FONT = "/fonts/NotoSansSC-Regular-subset.ttf";
    private static final PDRectangle A4 = PDRectangle.A4;
    private static final float MARGIN = 40;
    private static final float BODY = 8.5f;
    private static final float LEADING = 11.5f;
    private static final float PAD = 2.5f;

    private BulletinPdf() {
    }

    static byte[] write(Bulletin b, IssuedBulletin issued) {
        try (PDDocument doc = new PDDocument(); InputStream fontFile = BulletinPdf.class.getResourceAsStream(FONT);
             ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            if (fontFile == null) {
                throw new IllegalStateException("font missing from the class path: " + FONT);
            }
            PDType0Font font = PDType0Font.load(doc, fontFile, true);
            Writer w = new Writer(doc, font);
            String title = b.batchId() + " " + b.periodLabelZh() + " 优秀案例复制推广情况通报";
            w.newPage();
            w.text(title, 16, 22);
            w.text("数据截至 " + BulletinTables.text(b.asOf()) + "（上海时间），与上期 " + b.previousPeriodCode() + " 比较。"
                    + (issued == null ? "预览，未签发。" : "第 " + issued.getVersion() + " 版，" + issued.getIssuedBy() + " 签发。"), 9, 14);
            if (issued != null && issued.getReason() != null) {
                w.text("重新签发理由：" + issued.getReason(), 9, 14);
            }
            w.gap(6);
            for (BulletinTables.Section s : BulletinTables.of(b)) {
                w.section(s);
            }
            String header = "通报 · 批次 " + b.batchId() + " · 时段 " + b.periodCode() + " · 签发日期 "
                    + (issued == null ? "未签发（预览）" : ShanghaiTimes.of(issued.getIssuedAt()).toLocalDate().toString());
            w.finish(header);
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lays text and tables out top to bottom, page after page. */
    private static final class Writer {
        private final PDDocument doc;
        private final PDType0Font font;
        private PDPageContentStream cs;
        private float y;

        Writer(PDDocument doc, PDType0Font font) {
            this.doc = doc;
            this.font = font;
        }

        void newPage() throws IOException {
            if (cs != null) {
                cs.close();
            }
            PDPage page = new PDPage(A4);
            doc.addPage(page);
            cs = new PDPageContentStream(doc, page);
            y = A4.getHeight() - MARGIN - 18; // room for the running header
        }

        void gap(float h) {
            y -= h;
        }

        void text(String s, float size, float leading) throws IOException {
            for (String line : wrap(s, size, A4.getWidth() - 2 * MARGIN)) {
                if (y - leading < MARGIN + 14) {
                    newPage();
                }
                y -= leading;
                show(line, size, MARGIN, y);
            }
        }

        void section(BulletinTables.Section s) throws IOException {
            if (y - 60 < MARGIN + 14) {
                newPage();
            }
            gap(6);
            text(s.title(), 11.5f, 16);
            gap(5);
            float total = (float) s.columns().stream().mapToDouble(BulletinTables.Column::width).sum();
            float usable = A4.getWidth() - 2 * MARGIN;
            float[] widths = new float[s.columns().size()];
            for (int i = 0; i < widths.length; i++) {
                widths[i] = usable * s.columns().get(i).width() / total;
            }
            List<String> head = s.columns().stream().map(BulletinTables.Column::header).toList();
            row(head, widths, true);
            if (s.rows().isEmpty()) {
                row(List.of("（无）"), new float[] {usable}, false);
            }
            for (List<Object> r : s.rows()) {
                List<String> cells = new ArrayList<>();
                r.forEach(v -> cells.add(BulletinTables.text(v)));
                if (row(cells, widths, false)) {
                    row(head, widths, true); // repeat the header on a new page
                    row(cells, widths, false);
                }
            }
        }

        /** Draws one row; answers true (drawing nothing) when it needs a new page, which it then starts. */
        private boolean row(List<String> cells, float[] widths, boolean header) throws IOException {
            List<List<String>> lines = new ArrayList<>();
            int height = 1;
            for (int i = 0; i < cells.size(); i++) {
                List<String> l = wrap(cells.get(i), BODY, widths[i] - 2 * PAD);
                lines.add(l);
                height = Math.max(height, l.size());
            }
            float h = height * LEADING + 2 * PAD;
            if (y - h < MARGIN + 14) {
                newPage();
                if (!header) {
                    return true;
                }
            }
            float x = MARGIN;
            if (header) {
                cs.setNonStrokingColor(0.90f, 0.92f, 0.96f);
                cs.addRect(MARGIN, y - h, sum(widths), h);
                cs.fill();
                cs.setNonStrokingColor(0f, 0f, 0f);
            }
            cs.setLineWidth(0.4f);
            for (int i = 0; i < cells.size(); i++) {
                cs.addRect(x, y - h, widths[i], h);
                cs.stroke();
                float ly = y - PAD - BODY;
                for (String line : lines.get(i)) {
                    show(line, BODY, x + PAD, ly);
                    ly -= LEADING;
                }
                x += widths[i];
            }
            y -= h;
            return false;
        }

        private void show(String s, float size, float x, float at) throws IOException {
            cs.beginText();
            cs.setFont(font, size);
            cs.newLineAtOffset(x, at);
            cs.showText(s);
            cs.endText();
        }

        private List<String> wrap(String s, float size, float width) throws IOException {
            List<String> out = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < s.length(); ) {
                int cp = s.codePointAt(i);
                String ch = new String(Character.toChars(cp));
                i += ch.length();
                if (ch.equals("\n")) {
                    out.add(line.toString());
                    line.setLength(0);
                    continue;
                }
                String candidate = line + ch;
                if (!line.isEmpty() && font.getStringWidth(safe(candidate)) / 1000 * size > width) {
                    out.add(line.toString());
                    line.setLength(0);
                }
                line.append(ch);
            }
            if (!line.isEmpty() || out.isEmpty()) {
                out.add(line.toString());
            }
            return out.stream().map(this::safe).toList();
        }

        /** Characters the font lacks become a visible '?' rather than an exception. */
        private String safe(String s) {
            StringBuilder b = new StringBuilder();
            s.codePoints().forEach(cp -> {
                String ch = new String(Character.toChars(cp));
                try {
                    font.encode(ch);
                    b.append(ch);
                } catch (IOException | IllegalArgumentException e) {
                    b.append('?');
                }
            });
            return b.toString();
        }

        void finish(String header) throws IOException {
            cs.close();
            int pages = doc.getNumberOfPages();
            for (int i = 0; i < pages; i++) {
                PDPage page = doc.getPage(i);
                try (PDPageContentStream c = new PDPageContentStream(doc, page, PDPageContentStream.AppendMode.APPEND, true, true)) {
                    c.beginText();
                    c.setFont(font, 8);
                    c.newLineAtOffset(MARGIN, A4.getHeight() - MARGIN + 6);
                    c.showText(safe(header));
                    c.endText();
                    c.setLineWidth(0.5f);
                    c.moveTo(MARGIN, A4.getHeight() - MARGIN + 2);
                    c.lineTo(A4.getWidth() - MARGIN, A4.getHeight() - MARGIN + 2);
                    c.stroke();
                    String footer = "第 " + (i + 1) + " 页 / 共 " + pages + " 页";
                    float fw = font.getStringWidth(footer) / 1000 * 8;
                    c.beginText();
                    c.setFont(font, 8);
                    c.newLineAtOffset((A4.getWidth() - fw) / 2, MARGIN - 16);
                    c.showText(footer);
                    c.endText();
                }
            }
        }

        private static float sum(float[] v) {
            float s = 0;
            for (float f : v) {
                s += f;
            }
            return s;
        }
    }
}
