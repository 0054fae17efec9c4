package sh.reform.status.fold;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

import org.junit.jupiter.api.Test;

/** The fold's own pattern formatting gives exactly what MessageFormat gives, for every message of both bundles. */
class BilingualTest {

    private static final String[] ARGS = {"SH-2023-01-M1", "310116", "2027-06-30", "3", "x'y{z}"};

    @Test
    void everyMessageOfBothLanguagesFormatsAsMessageFormatDoes() {
        for (Locale locale : new Locale[] {Locale.CHINESE, Locale.ENGLISH}) {
            ResourceBundle bundle = ResourceBundle.getBundle("sh.reform.status.fold.messages", locale,
                    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
            assertThat(bundle.keySet()).isNotEmpty();
            for (String key : bundle.keySet()) {
                String pattern = bundle.getString(key);
                Bilingual.Template t = Bilingual.Template.parse(pattern, locale);
                assertThat(t.fallback()).as("%s is parsed without MessageFormat", key).isNull();
                assertThat(t.format(ARGS)).as(key).isEqualTo(new MessageFormat(pattern, locale).format(ARGS));
            }
        }
    }

    @Test
    void quotesSlotsAndOtherSyntaxAreReadAsMessageFormatReadsThem() {
        String[] patterns = {"", "plain", "{0}", "a {1} b {0} c", "the district''s {0}", "{0}{0}''{1}''", "missing {3}",
                "quoted '{0}' text"};
        for (String p : patterns) {
            assertThat(Bilingual.Template.parse(p, Locale.ENGLISH).format(new String[] {"A", "B"}))
                    .as(p).isEqualTo(new MessageFormat(p, Locale.ENGLISH).format(new Object[] {"A", "B"}));
        }
    }
}
