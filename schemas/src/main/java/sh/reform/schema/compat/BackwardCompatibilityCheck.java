package sh.reform.schema.compat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

import sh.reform.schema.Contract;

/**
 * Keeps every schema of the contract BACKWARD compatible with its last released version: a
 * consumer built from the current schema must read every record written with the released one.
 *
 * <p>Released versions live in {@code schemas/released/<full name>.avsc}, committed with the code.
 * The build runs {@code check}; a release runs {@code release} to record the current schemas.
 * Problems name the field by its path (e.g. {@code envelope.reporter.agency}) so the author of the
 * change sees at once what to fix (usually: add a default).
 */
public final class BackwardCompatibilityCheck {

    private BackwardCompatibilityCheck() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !(args[0].equals("check") || args[0].equals("release"))) {
            System.err.println("usage: BackwardCompatibilityCheck check|release <released-dir>");
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        if (args[0].equals("release")) {
            Files.createDirectories(dir);
            for (var type : Contract.TYPES) {
                Schema schema = Contract.schemaOf(type);
                Files.writeString(dir.resolve(schema.getFullName() + ".avsc"), schema.toString(true) + "\n",
                        StandardCharsets.UTF_8);
                System.out.println("released " + schema.getFullName());
            }
            return;
        }
        List<String> problems = new ArrayList<>();
        for (var type : Contract.TYPES) {
            Schema current = Contract.schemaOf(type);
            Path file = dir.resolve(current.getFullName() + ".avsc");
            if (!Files.exists(file)) {
                System.out.println("[schema-compat] " + current.getFullName() + ": no released version yet, nothing to check");
                continue;
            }
            Schema released = new Schema.Parser().parse(Files.readString(file, StandardCharsets.UTF_8));
            List<String> found = problems(released, current);
            if (found.isEmpty()) {
                System.out.println("[schema-compat] " + current.getFullName() + ": BACKWARD compatible with released version");
            }
            problems.addAll(found);
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println("[schema-compat] INCOMPATIBLE " + p));
            throw new IllegalStateException("schema change breaks consumers (BACKWARD): " + String.join("; ", problems));
        }
    }

    /**
     * What stops a reader using {@code current} from reading data written with {@code released};
     * empty when the change is BACKWARD compatible. Each entry names the schema and the field.
     */
    public static List<String> problems(Schema released, Schema current) {
        SchemaPairCompatibility pair = SchemaCompatibility.checkReaderWriterCompatibility(current, released);
        List<String> out = new ArrayList<>();
        for (Incompatibility inc : pair.getResult().getIncompatibilities()) {
            String field = fieldPath(current, inc.getLocation());
            out.add(current.getFullName() + " field '" + field + "': " + describe(inc));
        }
        return out;
    }

    private static String describe(Incompatibility inc) {
        return switch (inc.getType()) {
            case READER_FIELD_MISSING_DEFAULT_VALUE ->
                    "new field without a default value (old records do not have it): add a default";
            case TYPE_MISMATCH -> "type changed incompatibly: " + inc.getMessage();
            case MISSING_ENUM_SYMBOLS -> "enum symbol removed and no default to fall back on: " + inc.getMessage();
            case MISSING_UNION_BRANCH -> "union branch removed: " + inc.getMessage();
            case NAME_MISMATCH -> "type renamed without an alias: " + inc.getMessage();
            default -> inc.getType() + ": " + inc.getMessage();
        };
    }

    /** Turns a location like {@code /fields/0/type/fields/5/type/1} into {@code envelope.reporter}. */
    static String fieldPath(Schema root, String location) {
        String[] tokens = location.split("/");
        List<String> names = new ArrayList<>();
        Schema s = root;
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i];
            if (t.isEmpty() || t.equals("type") || t.equals("name") || t.equals("symbols")) {
                continue;
            }
            if (t.equals("fields") && i + 1 < tokens.length && s.getType() == Schema.Type.RECORD) {
                int index = Integer.parseInt(tokens[++i]);
                Schema.Field f = s.getFields().get(index);
                names.add(f.name());
                s = f.schema();
            } else if (t.equals("items") && s.getType() == Schema.Type.ARRAY) {
                s = s.getElementType();
            } else if (t.equals("values") && s.getType() == Schema.Type.MAP) {
                s = s.getValueType();
            } else if (s.getType() == Schema.Type.UNION && t.chars().allMatch(Character::isDigit)) {
                s = s.getTypes().get(Integer.parseInt(t));
            }
        }
        return names.isEmpty() ? "(record " + root.getName() + ")" : String.join(".", names);
    }
}
