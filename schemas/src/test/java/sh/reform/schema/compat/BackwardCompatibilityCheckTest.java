package sh.reform.schema.compat;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

import sh.reform.schema.Contract;
import sh.reform.schema.events.OutcomeReported;

class BackwardCompatibilityCheckTest {

    private static final Schema RELEASED = SchemaBuilder.record("Outcome").namespace("t").fields()
            .requiredString("metricId")
            .name("envelope").type(SchemaBuilder.record("Env").namespace("t").fields()
                    .requiredString("eventId").endRecord()).noDefault()
            .endRecord();

    @Test
    void acceptsNewFieldWithDefault() {
        Schema current = SchemaBuilder.record("Outcome").namespace("t").fields()
                .requiredString("metricId")
                .name("envelope").type(SchemaBuilder.record("Env").namespace("t").fields()
                        .requiredString("eventId").endRecord()).noDefault()
                .optionalString("evidenceRef")
                .endRecord();
        assertThat(BackwardCompatibilityCheck.problems(RELEASED, current)).isEmpty();
    }

    @Test
    void refusesNewNestedFieldWithoutDefaultNamingTheField() {
        Schema current = SchemaBuilder.record("Outcome").namespace("t").fields()
                .requiredString("metricId")
                .name("envelope").type(SchemaBuilder.record("Env").namespace("t").fields()
                        .requiredString("eventId").requiredString("tenant").endRecord()).noDefault()
                .endRecord();
        assertThat(BackwardCompatibilityCheck.problems(RELEASED, current))
                .singleElement().asString()
                .contains("envelope.tenant").contains("default");
    }

    @Test
    void refusesTypeChangeNamingTheField() {
        Schema current = SchemaBuilder.record("Outcome").namespace("t").fields()
                .requiredInt("metricId")
                .name("envelope").type(SchemaBuilder.record("Env").namespace("t").fields()
                        .requiredString("eventId").endRecord()).noDefault()
                .endRecord();
        assertThat(BackwardCompatibilityCheck.problems(RELEASED, current))
                .anySatisfy(p -> assertThat(p).contains("'metricId'"));
    }

    @Test
    void buildCheckFailsNamingTheFieldWhenAReleasedVersionLacksANewRequiredField(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // As if the released OutcomeReported had no metricId: the current schema requires it without a default.
        Schema current = Contract.schemaOf(OutcomeReported.class);
        java.util.List<Schema.Field> fields = current.getFields().stream().filter(f -> !f.name().equals("metricId"))
                .map(f -> new Schema.Field(f, f.schema())).toList();
        String released = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields).toString(true);
        java.nio.file.Files.writeString(dir.resolve(current.getFullName() + ".avsc"), released);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BackwardCompatibilityCheck.main(new String[] {"check", dir.toString()}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("OutcomeReported field 'metricId'")
                .hasMessageContaining("add a default");
    }

    @Test
    void releasedVersionsInTheRepositoryAreCompatible() throws Exception {
        BackwardCompatibilityCheck.main(new String[] {"check", "released"});
    }

    @Test
    void everyContractTypeIsCompatibleWithItself() {
        for (var type : Contract.TYPES) {
            Schema s = Contract.schemaOf(type);
            assertThat(BackwardCompatibilityCheck.problems(s, s)).as(s.getFullName()).isEmpty();
        }
        assertThat(Contract.schemaOf(OutcomeReported.class).getField("envelope")).isNotNull();
    }
}
