package sh.reform.shared.web;

import org.springframework.http.converter.HttpMessageNotReadableException;

import tools.jackson.databind.DatabindException;

/** The JSON path of the field a body could not be read at, from Jackson's reference chain. */
final class JsonFieldPaths {

    private JsonFieldPaths() {
    }

    static String fieldOf(HttpMessageNotReadableException e) {
        Throwable t = e.getCause();
        while (t != null && !(t instanceof DatabindException)) {
            t = t.getCause();
        }
        if (t == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (var ref : ((DatabindException) t).getPath()) {
            if (ref.getPropertyName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? null : sb.toString();
    }
}
