package sh.reform.dashboard.export;

import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.stream.Collectors;

/** Chinese names of the status codes in exports (labels.properties); an unknown code stays as it is. */
final class Labels {

    private static final ResourceBundle ZH = ResourceBundle.getBundle("sh.reform.dashboard.export.labels", Locale.ROOT);

    private Labels() {
    }

    static String stage(String code) {
        return label("stage.", code);
    }

    static String health(String code) {
        return label("health.", code);
    }

    static String decision(String code) {
        return label("decision.", code);
    }

    static String rollout(String code) {
        return label("rollout.", code);
    }

    static String rules(List<String> codes) {
        return codes == null ? "" : codes.stream().map(c -> label("rule.", c)).collect(Collectors.joining("；"));
    }

    static String yesNo(boolean b) {
        return ZH.getString(b ? "yes" : "no");
    }

    private static String label(String prefix, String code) {
        if (code == null) {
            return null;
        }
        try {
            return ZH.getString(prefix + code);
        } catch (MissingResourceException e) {
            return code;
        }
    }
}
